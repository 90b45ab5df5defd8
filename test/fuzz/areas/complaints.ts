/** A complaint's lifecycle: submitted, screened (verified, forwarded or rejected), followed up and replied to. */
import * as fc from 'fast-check';
import { type AuthPlan, authPlan, complaintIdPlan, currentVersion, field, hostileString, inputOf, nodeId, notePlan, pickFrom, Ref, validText, versionPlan, wrongType } from '../arbitraries';
import { expectThat, UUID } from '../oracle';
import { COMPLAINT, expectStep, fuzz, lifecycleCall, track } from '../property';
import { type FuzzWorld, MINISTRY, NATIONAL_ID, REGENCY, STATUSES } from '../world';

/** Submitting, anonymous or signed in. */
export function submitComplaint(world: FuzzWorld): void {
  it('submitComplaint', async () => {
    const categoryId = fc.nat().map((n) => new Ref('realCategory', () => pickFrom(world.book.categories, n)));
    const idempotencyKey = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('f0220000-0000-4000-8000-000000000001', 'f0220000-0000-4000-8000-000000000002', 'f0220000-0000-4000-8000-000000000003') },
      { weight: 1, arbitrary: fc.uuid() },
    );
    const reporter = fc.record(
      {
        name: validText(200),
        email: fc.oneof(fc.emailAddress(), fc.constant(null)),
        phone: fc.oneof(fc.stringMatching(/^\+?[0-9]{6,15}$/), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const valid = fc.record(
      {
        type: fc.constantFrom('COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST'),
        title: validText(200),
        body: fc.oneof(validText(4000), validText(3000).map((text) => `${text}\n\tBaris kedua\r\n`)),
        channel: fc.constantFrom('WEB', 'SMS', 'MOBILE', 'SOCIAL_MEDIA', 'LETTER', 'WALK_IN'),
        regionCode: fc.oneof(fc.constantFrom('52', '52.06', '31.71', ' 52.06 '), fc.constant(null)),
        categoryId: fc.oneof(categoryId, fc.constant(null)),
        addressedAgencyId: fc.oneof(fc.constantFrom(NATIONAL_ID, REGENCY, MINISTRY), fc.constant(null)),
        anonymous: fc.boolean(),
        confidential: fc.boolean(),
        reporter: fc.oneof(reporter, fc.constant(null)),
        idempotencyKey,
      },
      { requiredKeys: ['type', 'title', 'body', 'channel'] },
    );
    const fuzzed = fc.record({
      type: field(fc.constantFrom('COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST', 'complaint', 'PENGADUAN')),
      title: field(validText(200)),
      body: field(validText(4000)),
      channel: field(fc.constantFrom('WEB', 'SMS', 'FAX', 'web')),
      regionCode: field(fc.constantFrom('52', '52.06', '99', '99.99', '52.6', '5206', '52.06.01')),
      categoryId: field(fc.oneof(categoryId, fc.constantFrom('NO_SUCH', 'health'))),
      addressedAgencyId: field(nodeId()),
      anonymous: field(fc.boolean()),
      confidential: field(fc.boolean()),
      reporter: field(
        fc.record({
          name: field(validText(200)),
          email: field(fc.oneof(fc.emailAddress(), fc.constantFrom('not-an-email', 'a@b', '"><script>@x.id'))),
          phone: field(fc.constantFrom('+6281234567890', '0812', '+62 812', '08123456789012345678', '١٢٣٤٥٦٧')),
        }),
      ),
      idempotencyKey: field(idempotencyKey),
    });
    const plan = fc.record({
      input: inputOf(valid, fuzzed),
      auth: fc.oneof({ weight: 6, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) }, { weight: 3, arbitrary: authPlan([['LIAISON_OFFICER', REGENCY], ['NATIONAL_ADMIN', NATIONAL_ID]]) }),
    });
    await fuzz(world, plan, 400, (value) =>
      lifecycleCall(
        world,
        'submitComplaint',
        'SubmitComplaintInput',
        `reporterToken complaint { ${COMPLAINT} title body anonymous confidential addressedAgency { id } }`,
        value,
        (data, _context, input) => {
          const complaint = data.complaint;
          expectThat(UUID.test(complaint.id), 'complaint.id is a UUID');
          expectThat(/^LPR-[0-9A-Z]{10}$/.test(complaint.trackingId), `tracking id ${complaint.trackingId}`);
          expectThat(typeof data.reporterToken === 'string' && data.reporterToken.length >= 16, 'a reporter token');
          const known = world.book.complaints.get(complaint.id);
          if (known) {
            // A retry with the same idempotency key and content: the first complaint, nothing new.
            expectThat(input.idempotencyKey && data.reporterToken === known.reporterToken, `complaint ${complaint.id} answered twice`);
            return;
          }
          expectThat(complaint.status === 'SUBMITTED' && complaint.version === 1, 'a new SUBMITTED complaint at version 1');
          expectThat(complaint.title === input.title.trim(), 'the title as sent, trimmed');
          expectThat(complaint.body === input.body.trim(), 'the body as sent, trimmed');
          expectThat(complaint.anonymous === (input.anonymous ?? false) && complaint.confidential === (input.confidential ?? false), 'the flags as sent');
          world.book.complaints.set(complaint.id, { ...complaint, reporterToken: data.reporterToken, holder: complaint.addressedAgency.id });
        },
      ),
    );
  });
}

/** Who screens: the national admin, the holder's officers, and others who may not. */
const screeningAuth = authPlan(
  [
    ['NATIONAL_ADMIN', NATIONAL_ID],
    ['NATIONAL_ADMIN', NATIONAL_ID],
    ['AGENCY_ADMIN', REGENCY],
    ['LIAISON_OFFICER', REGENCY],
    ['AGENCY_ADMIN', MINISTRY],
  ],
  ['AGENCY_ADMIN', 'AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR', 'DASHBOARD'],
);

/** Screening: verifying a submitted complaint. */
export function verifyComplaint(world: FuzzWorld): void {
  it('verifyComplaint', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['SUBMITTED']), version: fc.constant(currentVersion), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['SUBMITTED']), version: versionPlan, note: notePlan });
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 250, (value) =>
      lifecycleCall(world, 'verifyComplaint', 'VerifyComplaintInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(world, data, 'VERIFIED', input);
        track(world, data.complaint);
      }),
    );
  });
}

/** Screening: forwarding to the node that handles it. */
export function forwardComplaint(world: FuzzWorld): void {
  it('forwardComplaint', async () => {
    const target = fc.oneof({ weight: 5, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.constant(new Ref('holder', (context) => context.complaint?.holder ?? REGENCY)) });
    const valid = fc.record({ complaintId: complaintIdPlan(['VERIFIED', 'FORWARDED']), version: fc.constant(currentVersion), agencyId: target, note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['VERIFIED', 'FORWARDED']), version: versionPlan, agencyId: field(target), note: notePlan });
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 250, (value) =>
      lifecycleCall(world, 'forwardComplaint', 'ForwardComplaintInput', `complaint { ${COMPLAINT} assignedAgency { id } }`, value, (data, _context, input) => {
        expectStep(world, data, 'FORWARDED', input);
        expectThat(data.complaint.assignedAgency?.id === input.agencyId.trim(), `assigned to ${data.complaint.assignedAgency?.id}`);
        track(world, data.complaint);
      }),
    );
  });
}

/** The handling node answering. */
export function postFollowUp(world: FuzzWorld): void {
  it('postFollowUp', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['FORWARDED']), version: fc.constant(currentVersion), body: validText(4000), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['FORWARDED']), version: versionPlan, body: field(validText(4000)), note: notePlan });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['LIAISON_OFFICER', REGENCY], ['AGENCY_SYSTEM', REGENCY]], ['LIAISON_OFFICER', 'AGENCY_ADMIN', 'AGENCY_SYSTEM', 'INSPECTOR', 'DASHBOARD']);
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth }), 250, (value) =>
      lifecycleCall(world, 'postFollowUp', 'PostFollowUpInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(world, data, 'FOLLOWED_UP', input);
        track(world, data.complaint);
      }),
    );
  });
}

/** The reporter's reply, with the tracking id and reporter token. */
export function replyToComplaint(world: FuzzWorld): void {
  it('replyToComplaint', async () => {
    const real = (what: 'trackingId' | 'reporterToken') =>
      new Ref(`${what}OfPickedComplaint`, (context) => {
        if (!context.complaint) context.complaint = pickFrom(world.complaintsIn(['FOLLOWED_UP']), 0) ?? pickFrom(world.complaintsIn(STATUSES), 0);
        return context.complaint?.[what] ?? null;
      });
    const pick = fc.record({ n: fc.nat(), any: fc.boolean() }).map(
      ({ n, any }) =>
        new Ref(any ? 'anyRealComplaint' : 'followedUpComplaint', (context) => {
          const pool = any ? world.complaintsIn(STATUSES) : world.complaintsIn(['FOLLOWED_UP']);
          context.complaint = pickFrom(pool.length ? pool : world.complaintsIn(STATUSES), n);
          return undefined;
        }),
    );
    const trackingId = fc.oneof(
      { weight: 6, arbitrary: fc.constant(real('trackingId')) },
      { weight: 1, arbitrary: fc.constant(new Ref('trackingIdLowerCase', (context) => (real('trackingId').resolve(context) as string | null)?.toLowerCase() ?? null)) },
      { weight: 1, arbitrary: fc.constantFrom('LPR-0000000000', 'LPR-', "LPR-' or 1=1 --", 'lpr-%', 'LPR-_________') },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const reporterToken = fc.oneof(
      { weight: 6, arbitrary: fc.constant(real('reporterToken')) },
      { weight: 1, arbitrary: fc.constant(new Ref('someoneElsesToken', () => pickFrom(world.complaintsIn(STATUSES), 1)?.reporterToken ?? null)) },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const valid = fc.record({ pick, trackingId: fc.constant(real('trackingId')), reporterToken: fc.constant(real('reporterToken')), body: validText(4000), satisfied: fc.boolean() });
    const fuzzed = fc.record({ pick, trackingId, reporterToken, body: field(validText(4000)), satisfied: field(fc.boolean()) });
    // The pick is resolved first (it is the first key) and leaves nothing in the input.
    const plan = fc.record({ input: inputOf(valid, fuzzed), auth: fc.oneof({ weight: 4, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) }, { weight: 1, arbitrary: authPlan([['NATIONAL_ADMIN', NATIONAL_ID]]) }) });
    await fuzz(world, plan, 200, (value) =>
      lifecycleCall(world, 'replyToComplaint', 'ReplyToComplaintInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(world, data, input.satisfied ? 'CLOSED' : 'FORWARDED', input);
        track(world, data.complaint);
      }),
    );
  });
}

/** Screening: rejecting. */
export function rejectComplaint(world: FuzzWorld): void {
  it('rejectComplaint', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['SUBMITTED', 'VERIFIED']), version: fc.constant(currentVersion), reason: validText(2000), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['SUBMITTED', 'VERIFIED']), version: versionPlan, reason: field(validText(2000)), note: notePlan });
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 150, (value) =>
      lifecycleCall(world, 'rejectComplaint', 'RejectComplaintInput', `complaint { ${COMPLAINT} rejectionReason }`, value, (data, _context, input) => {
        expectStep(world, data, 'REJECTED', input);
        expectThat(data.complaint.rejectionReason === input.reason.trim(), 'the reason as sent, trimmed');
        track(world, data.complaint);
      }),
    );
  });
}
