import { base64url } from './arbitraries';
import { check, send, type Sent } from './oracle';
import { type FuzzWorld, NATIONAL_ID, PROVINCE, REGENCY } from './world';

/** Sends one request and applies the fuzzer's property to the answer (partial data allowed). */
async function expectCodedAnswer(world: FuzzWorld, operation: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const sent: Sent = { operation, query, variables, authorization: token ? `Bearer ${token}` : undefined };
  return check(world, sent, await send(world, sent), operation, () => undefined, true);
}

const AGENCIES = `query($first: Int, $after: String, $search: String, $parentId: ID) {
  agencies(first: $first, after: $after, search: $search, parentId: $parentId) { totalCount edges { node { id } } } }`;
const ASSIGNED = `query($id: ID!, $first: Int, $after: String) { agency(id: $id) { assignedComplaints(first: $first, after: $after) { totalCount } } }`;

/**
 * Inputs the fuzzer found answering INTERNAL_SERVER_ERROR while it was written (each fixed since in
 * the product), kept as regressions with the exact input it reported.
 */
export function regressions(world: FuzzWorld): void {
  const national = () => world.hub.token('NATIONAL_ADMIN', NATIONAL_ID);

  it.each([
    // A NUL byte in text reaching PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00").
    ['agencies(search: "\\u0000")', 'agencies', AGENCIES, { first: 0, after: 'W10', search: '\u0000' }],
    ['agencies(parentId: "\\u0000")', 'agencies', AGENCIES, { parentId: '\u0000' }],
    ['agencies(after: base64url(["\\u0000",586165209]))', 'agencies', AGENCIES, { first: 2, after: 'WyJcdTAwMDAiLDU4NjE2NTIwOV0' }],
    ['agency(id: "…\\u0000…")', 'agency', `query($id: ID!) { agency(id: $id) { id } }`, { id: 'ᬅᬓ᭄ᬱᬭ\u0000#{7*7}$2::text\b' }],
    [
      'replyToComplaint(trackingId: "LPR-\\u0000")',
      'replyToComplaint',
      `mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { id } } }`,
      { input: { trackingId: 'LPR-\u0000', reporterToken: 'x', body: 'Terima kasih', satisfied: true } },
    ],
    [
      'createAgencyUnit(parentId: "\\u0000")',
      'createAgencyUnit',
      `mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`,
      { input: { parentId: '\u0000', name: 'Dinas Kesehatan' } },
    ],
    // Cursor times that pass Date.parse but not PostgreSQL's timestamptz.
    ['assignedComplaints(after: ["+143843-08-22T21:47:27.532Z", uuid])', 'agency', ASSIGNED, { id: REGENCY, first: 58, after: 'WyIrMTQzODQzLTA4LTIyVDIxOjQ3OjI3LjUzMloiLCIwMDAwMDAwMy0xY2Y0LTc3MzctOWQyNi0wMTU3ZTdjZmMwYzIiXQ' }],
    ['assignedComplaints(after: ["1", uuid])', 'agency', ASSIGNED, { id: REGENCY, after: base64url(JSON.stringify(['1', '00000000-0000-4000-8000-000000000000'])) }],
    ['assignedComplaints(after: ["2026-02-30T00:00:00.000Z", uuid])', 'agency', ASSIGNED, { id: REGENCY, after: base64url(JSON.stringify(['2026-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])) }],
    [
      'incomingEscalations(after: ["0000-01-01T00:00:00.000Z", uuid])',
      'agency',
      `query($id: ID!, $after: String) { agency(id: $id) { incomingEscalations(after: $after) { totalCount } } }`,
      { id: PROVINCE, after: base64url(JSON.stringify(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])) },
    ],
    // Year 0000 passed `z.iso.date()` and PostgreSQL's date type refused it.
    [
      'addCollectiveLeaveDay(date: "0000-01-01")',
      'addCollectiveLeaveDay',
      `mutation($input: AddCollectiveLeaveDayInput!) { addCollectiveLeaveDay(input: $input) { day { date } } }`,
      { input: { date: '0000-01-01', description: "'; drop table complaints.complaint; --" } },
    ],
    [
      'removeCollectiveLeaveDay(date: "0000-01-01")',
      'removeCollectiveLeaveDay',
      `mutation($input: RemoveCollectiveLeaveDayInput!) { removeCollectiveLeaveDay(input: $input) { removed } }`,
      { input: { date: '0000-01-01' } },
    ],
  ])('%s answers with a public code', async (_name, operation, query, variables) => {
    await expectCodedAnswer(world, operation, query, variables, await national());
  });

  // Years 0001–0099 were stored, and then WorkingCalendar (Date.UTC maps years 0–99 to 1900–1999)
  // threw on every call that loads the calendar, until the day was removed.
  it('a collective leave day in year 0001 does not break the calendar for later calls', async () => {
    const day = (operation: 'add' | 'remove', input: object) =>
      expectCodedAnswer(world, 
        `${operation}CollectiveLeaveDay`,
        `mutation($input: ${operation === 'add' ? 'Add' : 'Remove'}CollectiveLeaveDayInput!) { ${operation}CollectiveLeaveDay(input: $input) { __typename } }`,
        { input },
        token,
      );
    const token = await national();
    await day('add', { date: '0001-01-01', description: 'Tahun pertama' });
    try {
      await expectCodedAnswer(world, 
        'submitComplaint',
        `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`,
        { input: { type: 'COMPLAINT', title: 'Jalan rusak', body: 'Jalan di depan pasar rusak.', channel: 'WEB' } },
      );
    } finally {
      await day('remove', { date: '0001-01-01' });
    }
  });

  // A note with a lone surrogate ("\ud800", valid in JSON) was copied into the outbox event's
  // jsonb payload, which PostgreSQL refused ("unsupported Unicode escape sequence").
  it('respondToEscalation(accept: true, note: "\\uffff\\ud800Laporan…") answers with a public code', async () => {
    const token = await national();
    const { submitComplaint } = await world.api(
      `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`,
      { input: { type: 'COMPLAINT', title: 'Jembatan ambruk', body: 'Jembatan gantung ambruk.', channel: 'WEB', regionCode: '52.06' } },
    );
    const complaintId = submitComplaint.complaint.id;
    await world.api(`mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { id } } }`, { input: { complaintId, version: 1 } }, token);
    await world.api(`mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { id } } }`, { input: { complaintId, version: 2, agencyId: REGENCY } }, token);
    const { escalateComplaint } = await world.api(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { input: { complaintId, toAgencyId: PROVINCE, reason: 'HIGHER_AUTHORITY' } },
      await world.hub.token('LIAISON_OFFICER', REGENCY),
    );
    await expectCodedAnswer(world, 
      'respondToEscalation',
      `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id status } } }`,
      { input: { escalationId: escalateComplaint.escalation.id, accept: true, note: '\uffff\ud800Laporan jalan rusak di Desa Sape' } },
      await world.hub.token('AGENCY_ADMIN', PROVINCE),
    );
  });
}
