/** Escalations: `escalateComplaint` and `respondToEscalation`. */
import * as fc from 'fast-check';
import { authPlan, complaintIdPlan, field, hostileString, inputOf, nodeId, notePlan, pickFrom, Ref, validText, wrongType } from '../arbitraries';
import { expectThat, UUID } from '../oracle';
import { fuzz, lifecycleCall } from '../property';
import { type FuzzWorld, MINISTRY, NATIONAL_ID, PROVINCE, REGENCY, STATUSES } from '../world';

/** Escalating a handled complaint. */
export function escalateComplaint(world: FuzzWorld): void {
  it('escalateComplaint', async () => {
    const reason = fc.constantFrom('WRONG_AGENCY', 'HIGHER_AUTHORITY', 'SUPERVISORY', 'NEEDS_COORDINATION', 'REPORTER_DISPUTE');
    const valid = fc.record({ complaintId: complaintIdPlan(['FORWARDED', 'FOLLOWED_UP']), toAgencyId: nodeId(), reason, note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({
      complaintId: complaintIdPlan(['FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'SUBMITTED']),
      toAgencyId: field(nodeId()),
      reason: field(fc.oneof(reason, fc.constantFrom('SLA_BREACH', 'wrong_agency', 'OTHER', ''))),
      note: notePlan,
    });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['LIAISON_OFFICER', REGENCY], ['AGENCY_ADMIN', REGENCY]], ['LIAISON_OFFICER', 'AGENCY_ADMIN', 'INSPECTOR', 'AGENCY_SYSTEM']);
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth }), 250, (value) =>
      lifecycleCall(world, 'escalateComplaint', 'EscalateComplaintInput', 'escalation { id status reason complaint { id } fromAgency { id } toAgency { id } }', value, (data, _context, input) => {
        const escalation = data.escalation;
        expectThat(UUID.test(escalation.id) && escalation.status === 'OPEN', 'a new OPEN escalation');
        // A node's liaison officer may escalate a confidential complaint addressed to it before it is
        // forwarded, without reading it: its complaint is then a clean null (issue 12, item 5).
        const complaintId = input.complaintId.toLowerCase();
        const known = world.book.complaints.get(complaintId);
        const unreadable = escalation.complaint === null && known?.confidential === true && (known.status === 'SUBMITTED' || known.status === 'VERIFIED');
        expectThat(escalation.reason === input.reason && (unreadable || escalation.complaint?.id === complaintId), 'the escalation as sent');
        expectThat(!world.book.escalations.has(escalation.id), `escalation ${escalation.id} created twice`);
        world.book.escalations.set(escalation.id, { id: escalation.id, status: 'OPEN', reason: escalation.reason, toAgencyId: escalation.toAgency.id });
      }),
    );
  });
}

/** Accepting or declining an escalation. */
export function respondToEscalation(world: FuzzWorld): void {
  it('respondToEscalation', async () => {
    const escalationId = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({ n: fc.nat(), open: fc.boolean() }).map(
          ({ n, open }) =>
            new Ref(open ? 'openEscalation' : 'anyEscalation', (context) => {
              const all = [...world.book.escalations.values()];
              const pool = open ? all.filter((escalation) => escalation.status === 'OPEN') : all;
              context.escalation = pickFrom(pool.length ? pool : all, n);
              return context.escalation?.id ?? null;
            }),
        ),
      },
      { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.nat().map((n) => new Ref('aComplaintIdInstead', () => pickFrom(world.complaintsIn(STATUSES), n)?.id ?? null))) },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const valid = fc.record({ escalationId, accept: fc.boolean(), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ escalationId, accept: field(fc.boolean()), note: notePlan });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', PROVINCE], ['AGENCY_ADMIN', MINISTRY]], ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR', 'AGENCY_SYSTEM']);
    await fuzz(world, fc.record({ input: inputOf(valid, fuzzed), auth }), 200, (value) =>
      lifecycleCall(world, 'respondToEscalation', 'RespondToEscalationInput', 'escalation { id status reason toAgency { id } reassignment }', value, (data, context, input) => {
        const escalation = data.escalation;
        expectThat(escalation.status === (input.accept ? 'ACCEPTED' : 'DECLINED'), `status ${escalation.status}`);
        const tracked = world.book.escalations.get(escalation.id);
        expectThat(tracked && tracked.status === 'OPEN', `escalation ${escalation.id} answered while ${tracked?.status}`);
        expectThat(context.escalation?.id === escalation.id, 'the escalation that was sent');
        tracked.status = escalation.status;
        if (escalation.status === 'DECLINED' && escalation.reason === 'WRONG_AGENCY' && escalation.toAgency.id !== NATIONAL_ID) world.book.successorEscalations++;
      }),
    );
  });
}
