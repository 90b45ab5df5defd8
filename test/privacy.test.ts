import { randomUUID } from 'node:crypto';
import { ROLES } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub } from './support/hub';
import { createUnit, MUTATIONS, submit, type Submitted } from './support/lifecycle';

/**
 * An anonymous reporter's identity must be unreachable by every agency role through every path:
 * queries, nested fields, lists, entity references sent straight to the subgraph, exports.
 */
const NAME = 'Siti Rahasia Anonim';
const PHONE = '+6281200001111';
const EMAIL = 'siti.rahasia@example.id';

let hub: TestHub;
let anonymous: Submitted;

beforeAll(async () => {
  hub = await TestHub.start();
  anonymous = await submit(hub, { anonymous: true, reporter: { name: NAME, phone: PHONE, email: EMAIL } });
  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  await hub.query(MUTATIONS.verify, { input: { complaintId: anonymous.id, version: 1 } }, national);
  await hub.query(MUTATIONS.forward, { input: { complaintId: anonymous.id, version: 2, agencyId: 'region-52.06' } }, national);
});
afterAll(() => hub?.stop());

const leaks = (text: string) => [NAME, PHONE, EMAIL].some((secret) => text.includes(secret));
const NODES = ['region-52.06', 'region-52', NATIONAL_ID, 'region-52.01', 'kemenkes'];

describe('an anonymous reporter', () => {
  it('is unreachable through the gateway for every role of every node', async () => {
    for (const role of ROLES) {
      for (const agencyId of NODES) {
        const token = await hub.token(role, agencyId);
        const responses = await Promise.all([
          hub.query(`query($id: ID!) { complaint(id: $id) { reporter { name email phone } timeline { note } } }`, { id: anonymous.id }, token),
          hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { reporter { name email phone } } }`, { t: anonymous.trackingId }, token),
          hub.query(`{ agency(id: "region-52.06") { assignedComplaints(first: 100) { edges { node { reporter { name email phone } } } }
                       addressedComplaints(first: 100) { edges { node { reporter { name email phone } } } } } }`, {}, token),
        ]);
        for (const response of responses) expect(leaks(JSON.stringify(response))).toBe(false);
      }
    }
  });

  it('is unreachable through _entities sent straight to the complaints subgraph, with any viewer', async () => {
    const viewers = [
      { kind: 'public' as const },
      { kind: 'service' as const, name: 'escalation' },
      ...ROLES.map((role) => ({ kind: 'officer' as const, sub: 'x', role, agencyId: 'region-52.06' })),
    ];
    for (const viewer of viewers) {
      const response = await hub.querySubgraph(
        'complaints',
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Complaint { id reporter { name email phone } } } }`,
        { r: [{ __typename: 'Complaint', id: anonymous.id }] },
        viewer,
      );
      expect(leaks(JSON.stringify(response))).toBe(false);
    }
  });

  it('is not in the CSV export', async () => {
    const response = await fetch(new URL('/export/complaints.csv?agencyId=region-52.06', hub.gateway.url), {
      headers: { authorization: `Bearer ${await hub.token('NATIONAL_ADMIN', NATIONAL_ID)}` },
    });
    const csv = await response.text();
    expect(response.status).toBe(200);
    expect(csv).toContain(anonymous.trackingId);
    expect(leaks(csv)).toBe(false);
  });

  it('is shown to the reporter alone, with the token', async () => {
    const own = await hub.query(`query($t: String!, $k: String) { complaintByTrackingId(trackingId: $t, reporterToken: $k) { reporter { name phone email } } }`, {
      t: anonymous.trackingId,
      k: anonymous.reporterToken,
    });
    expect(own.data.complaintByTrackingId.reporter).toEqual({ name: NAME, phone: PHONE, email: EMAIL });
  });

  it('is kept apart in the database: the complaint row holds neither the contact data nor the token', async () => {
    const [row] = await hub.sql<Record<string, unknown>>('complaints', 'select * from complaints.complaint where id = $1', [anonymous.id]);
    expect(leaks(JSON.stringify(row))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(anonymous.reporterToken);
  });

  it('is sealed in its own table: a dump of the database does not say who reported', async () => {
    const rows = await hub.sql<Record<string, unknown>>('complaints', 'select * from complaints.reporter_contact where complaint_id = $1', [anonymous.id]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['complaint_id', 'sealed']);
    const dump = await hub.sql<{ text: string }>('complaints', `select string_agg(encode(sealed, 'escape'), '') as text from complaints.reporter_contact`);
    expect(leaks(dump[0].text)).toBe(false);
  });
});

describe('a confidential complaint', () => {
  it('never appears to the public, by id, by tracking id without the token, or in lists', async () => {
    const confidential = await submit(hub, { confidential: true, title: 'Laporan rahasia tentang pungli' });
    const byId = await hub.query(`query($id: ID!) { complaint(id: $id) { id } }`, { id: confidential.id });
    const byTracking = await hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { id } }`, { t: confidential.trackingId });
    const listed = await hub.query(`{ agency(id: "region-52.06") { addressedComplaints(first: 100) { edges { node { id } } } } }`);
    expect(byId.data.complaint).toBeNull();
    expect(byTracking.data.complaintByTrackingId).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(confidential.id);
  });
});

/**
 * A supervisory escalation (a supervisory complaint's, or one that asks the Inspectorate to take a
 * complaint) may name the officials concerned: among the officers of the nodes at either end only
 * the Inspectorate reads it, through any path.
 */
describe('a supervisory escalation', () => {
  const NOTE = 'Dugaan pungli oleh Kepala Dinas Perhubungan';
  const RESPONSE = 'Inspektorat provinsi memeriksa Kepala Dinas';
  const REASON_NOTE = 'Dugaan pungli oleh pejabat Dinas Kesehatan';
  const secrets = [NOTE, RESPONSE, REASON_NOTE];
  const leaksNote = (text: string) => secrets.some((secret) => text.includes(secret));

  let inspectorate: string;
  /** A supervisory complaint escalated from the regency to its province, declined by the province's Inspectorate. */
  let escalationId: string;
  let complaintId: string;
  /** An ordinary complaint that the regency's liaison officer sent to its Inspectorate (reason SUPERVISORY). */
  let reasonEscalationId: string;
  let reasonComplaintId: string;

  const ESCALATE = `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`;
  const RESPOND = `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id status } } }`;

  async function forwardedToRegency(): Promise<string> {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const complaint = await submit(hub);
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
    const forwarded = await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' } }, national);
    if (forwarded.errors) throw new Error(JSON.stringify(forwarded.errors));
    return complaint.id;
  }

  beforeAll(async () => {
    inspectorate = await createUnit(hub, 'region-52.06', 'Inspektorat Daerah');
    complaintId = await forwardedToRegency();
    // The marking otherwise arrives only through an accepted escalation.
    await hub.sql('complaints', 'update complaints.complaint set supervisory = true where id = $1', [complaintId]);
    const escalated = await hub.query(
      ESCALATE,
      { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY', note: NOTE } },
      await hub.token('INSPECTOR', 'region-52.06'),
    );
    if (escalated.errors) throw new Error(JSON.stringify(escalated.errors));
    escalationId = escalated.data.escalateComplaint.escalation.id;

    // Answering is the target's Inspectorate's, not its admin's or liaison officer's.
    for (const role of ['AGENCY_ADMIN', 'LIAISON_OFFICER'] as const) {
      const refused = await hub.query(RESPOND, { input: { escalationId, accept: false, note: 'x' } }, await hub.token(role, 'region-52'));
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const declined = await hub.query(RESPOND, { input: { escalationId, accept: false, note: RESPONSE } }, await hub.token('INSPECTOR', 'region-52'));
    expect(declined.errors).toBeUndefined();

    reasonComplaintId = await forwardedToRegency();
    const sent = await hub.query(
      ESCALATE,
      { input: { complaintId: reasonComplaintId, toAgencyId: inspectorate, reason: 'SUPERVISORY', note: REASON_NOTE } },
      await hub.token('LIAISON_OFFICER', 'region-52.06'),
    );
    if (sent.errors) throw new Error(JSON.stringify(sent.errors));
    reasonEscalationId = sent.data.escalateComplaint.escalation.id;
  });

  const FIELDS = 'id note responseNote';
  const lists = (agencyId: string) => `agency(id: "${agencyId}") {
    incomingEscalations(first: 100) { totalCount edges { node { ${FIELDS} } } }
    outgoingEscalations(first: 100) { totalCount edges { node { ${FIELDS} } } } }`;
  const gatewayReads = () => [
    [`query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`, { id: escalationId }],
    [`query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`, { id: reasonEscalationId }],
    [`query($id: ID!) { complaint(id: $id) { escalations { ${FIELDS} } } }`, { id: complaintId }],
    [`query($id: ID!) { complaint(id: $id) { escalations { ${FIELDS} } } }`, { id: reasonComplaintId }],
    [`{ a: ${lists('region-52.06')} }`, {}],
    [`{ a: ${lists('region-52')} }`, {}],
    [`{ a: ${lists(inspectorate)} }`, {}],
  ] as const;

  /** The officers of the nodes concerned who are not their Inspectorate. */
  const OFFICIALS = ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'AGENCY_SYSTEM', 'DASHBOARD'] as const;
  const nodes = () => ['region-52.06', 'region-52', inspectorate, NATIONAL_ID];

  it('is unreachable through the gateway for the nodes’ officials: by id, on the complaint, in lists and their counts', async () => {
    for (const role of OFFICIALS) {
      for (const agencyId of nodes()) {
        const token = await hub.token(role, agencyId);
        for (const [query, variables] of gatewayReads()) {
          const response = await hub.query(query, variables, token);
          expect(leaksNote(JSON.stringify(response))).toBe(false);
          expect(JSON.stringify(response)).not.toContain(escalationId);
          expect(JSON.stringify(response)).not.toContain(reasonEscalationId);
        }
      }
    }
    // The regency's admin lists none of them, and counts none of them either.
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const own = await hub.query(`{ a: ${lists('region-52.06')} b: ${lists(inspectorate)} }`, {}, admin);
    expect(own.errors).toBeUndefined();
    expect([own.data.a, own.data.b].flatMap((agency) => [agency.incomingEscalations.totalCount, agency.outgoingEscalations.totalCount])).toEqual([0, 0, 0, 0]);
  });

  it('is unreachable through _entities and queries sent straight to the escalation subgraph', async () => {
    const viewers = [
      { kind: 'public' as const },
      ...OFFICIALS.flatMap((role) => nodes().map((agencyId) => ({ kind: 'officer' as const, sub: 'x', role, agencyId }))),
    ];
    const representations = [
      { __typename: 'Escalation', id: escalationId },
      { __typename: 'Escalation', id: reasonEscalationId },
      { __typename: 'Complaint', id: complaintId },
      { __typename: 'Complaint', id: reasonComplaintId },
      ...['region-52.06', 'region-52', inspectorate].map((id) => ({ __typename: 'Agency', id })),
    ];
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Escalation { ${FIELDS} }
      ... on Complaint { escalations { ${FIELDS} } }
      ... on Agency {
        incomingEscalations(first: 100) { totalCount edges { node { ${FIELDS} } } }
        outgoingEscalations(first: 100) { totalCount edges { node { ${FIELDS} } } } } } }`;
    for (const viewer of viewers) {
      // One representation a request: a refused list must not hide what another path would give.
      for (const representation of representations) {
        const response = await hub.querySubgraph('escalation', entities, { r: [representation] }, viewer);
        expect(leaksNote(JSON.stringify(response))).toBe(false);
      }
      for (const id of [escalationId, reasonEscalationId]) {
        const response = await hub.querySubgraph('escalation', `query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`, { id }, viewer);
        expect(leaksNote(JSON.stringify(response))).toBe(false);
      }
    }
  });

  it('is read by the Inspectorate of either end and by the national admin', async () => {
    const readers = [
      await hub.token('INSPECTOR', 'region-52.06'),
      await hub.token('INSPECTOR', 'region-52'),
      await hub.token('NATIONAL_ADMIN', NATIONAL_ID),
    ];
    for (const token of readers) {
      const byId = await hub.query(`query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`, { id: escalationId }, token);
      expect(byId.data.escalation).toEqual({ id: escalationId, note: NOTE, responseNote: RESPONSE });
      const listed = await hub.query(`{ a: ${lists('region-52.06')} }`, {}, token);
      expect(listed.data.a.outgoingEscalations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(escalationId);
      const onComplaint = await hub.query(`query($id: ID!) { complaint(id: $id) { escalations { ${FIELDS} } } }`, { id: complaintId }, token);
      expect(onComplaint.data.complaint.escalations).toEqual([{ id: escalationId, note: NOTE, responseNote: RESPONSE }]);
    }
    const regencyInspector = await hub.token('INSPECTOR', 'region-52.06');
    const inbox = await hub.query(`{ a: ${lists(inspectorate)} }`, {}, regencyInspector);
    expect(inbox.data.a.incomingEscalations).toMatchObject({ totalCount: 1, edges: [{ node: { id: reasonEscalationId, note: REASON_NOTE } }] });
  });
});

/**
 * A supervisory complaint (about officials, the Inspectorate's) is never public, whatever its
 * confidential flag: the officials it concerns knew its id and tracking id from when they held it.
 * Its reporter, with the token, still follows it.
 */
describe('a supervisory complaint', () => {
  const TITLE = 'Kepala Dinas meminta uang pelicin';
  const FOLLOW_UP = 'Inspektorat memeriksa Kepala Dinas';
  const leaksIt = (text: string) => text.includes(TITLE) || text.includes(FOLLOW_UP);
  let supervisory: Submitted;

  beforeAll(async () => {
    const inspectorate = await createUnit(hub, 'region-52.06', 'Inspektorat Kabupaten');
    supervisory = await submit(hub, { title: TITLE, confidential: false });
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    await hub.query(MUTATIONS.verify, { input: { complaintId: supervisory.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: supervisory.id, version: 2, agencyId: inspectorate } }, national);
    await hub.sql('complaints', 'update complaints.complaint set supervisory = true where id = $1', [supervisory.id]);
    const followedUp = await hub.query(
      MUTATIONS.followUp,
      { input: { complaintId: supervisory.id, version: 3, body: FOLLOW_UP } },
      await hub.token('INSPECTOR', inspectorate),
    );
    if (followedUp.errors) throw new Error(JSON.stringify(followedUp.errors));
  });

  const LIST = (agencyId: string) => `agency(id: "${agencyId}") {
    addressedComplaints(first: 100) { totalCount edges { node { id title } } }
    assignedComplaints(first: 100) { totalCount edges { node { id title } } } }`;

  it('is refused to the public by id, by tracking id without the token, in lists and their counts', async () => {
    const byId = await hub.query(`query($id: ID!) { complaint(id: $id) { id title followUps { body } timeline { note } } }`, { id: supervisory.id });
    const byTracking = await hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { id title } }`, { t: supervisory.trackingId });
    const wrongToken = await hub.query(`query($t: String!, $k: String) { complaintByTrackingId(trackingId: $t, reporterToken: $k) { id title } }`, {
      t: supervisory.trackingId,
      k: 'not-the-token',
    });
    expect(byId).toMatchObject({ data: { complaint: null } });
    expect(byTracking).toMatchObject({ data: { complaintByTrackingId: null } });
    expect(wrongToken).toMatchObject({ data: { complaintByTrackingId: null } });
    for (const response of [byId, byTracking, wrongToken]) expect(response.errors).toBeUndefined();

    const assignedTo = (await hub.sql<{ assigned_agency_id: string }>('complaints', 'select assigned_agency_id from complaints.complaint where id = $1', [supervisory.id]))[0]
      .assigned_agency_id;
    const listed = await hub.query(`{ a: ${LIST('region-52.06')} b: ${LIST(assignedTo)} }`);
    expect(listed.errors).toBeUndefined();
    expect(leaksIt(JSON.stringify(listed))).toBe(false);
    // The counts are of what the public may read: neither confidential nor supervisory.
    const counts = await hub.sql<{ addressed: number; assigned: number }>(
      'complaints',
      `select count(*) filter (where addressed_agency_id = 'region-52.06')::int as addressed, count(*) filter (where assigned_agency_id = $1)::int as assigned
       from complaints.complaint where not confidential and not supervisory`,
      [assignedTo],
    );
    expect(listed.data.a.addressedComplaints.totalCount).toBe(counts[0].addressed);
    expect(listed.data.b.assignedComplaints.totalCount).toBe(counts[0].assigned);
  });

  it('is refused to the public through _entities sent straight to the complaints subgraph', async () => {
    const response = await hub.querySubgraph(
      'complaints',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Complaint { id title } } }`,
      { r: [{ __typename: 'Complaint', id: supervisory.id }] },
      { kind: 'public' },
    );
    expect(response.data._entities).toEqual([null]);
  });

  it('is not in the CSV export of the node’s officials, and the public exports nothing', async () => {
    for (const relation of ['assigned', 'addressed']) {
      const response = await fetch(new URL(`/export/complaints.csv?agencyId=region-52.06&relation=${relation}`, hub.gateway.url), {
        headers: { authorization: `Bearer ${await hub.token('AGENCY_ADMIN', 'region-52.06')}` },
      });
      expect(response.status).toBe(200);
      expect(leaksIt(await response.text())).toBe(false);
    }
    const anonymousExport = await fetch(new URL('/export/complaints.csv?agencyId=region-52.06', hub.gateway.url));
    expect(anonymousExport.status).toBe(401);
  });

  it('is followed by its reporter with the token', async () => {
    const own = await hub.query(
      `query($t: String!, $k: String) { complaintByTrackingId(trackingId: $t, reporterToken: $k) { id title followUps { body } reporter { name } } }`,
      { t: supervisory.trackingId, k: supervisory.reporterToken },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.complaintByTrackingId).toEqual({ id: supervisory.id, title: TITLE, followUps: [{ body: FOLLOW_UP }], reporter: { name: 'Ahmad' } });
  });
});

/** A by-id lookup answers "none" and "not yours" alike, so that it tells nobody what exists. */
describe('a lookup of what the caller may not read', () => {
  let confidential: Submitted;
  let escalationId: string;

  /** A confidential complaint forwarded to Kabupaten Bima. */
  async function forwardedConfidential(): Promise<Submitted> {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const complaint = await submit(hub, { confidential: true });
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' } }, national);
    return complaint;
  }

  beforeAll(async () => {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    confidential = await forwardedConfidential();
    const escalated = await hub.query(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { input: { complaintId: confidential.id, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } },
      national,
    );
    if (escalated.errors) throw new Error(JSON.stringify(escalated.errors));
    escalationId = escalated.data.escalateComplaint.escalation.id;
  });

  const strip = (response: object, id: string, missing: string) => JSON.stringify(response).split(id).join(missing);

  it('answers exactly as for an id that does not exist, for the public and the officers of unrelated nodes', async () => {
    const missing = randomUUID();
    // Every caller but the national admin (who reads everything), on nodes that have nothing to do with it.
    const roles = ROLES.filter((role) => role !== 'NATIONAL_ADMIN');
    const callers = [undefined, ...(await Promise.all(roles.flatMap((role) => ['region-52.01', 'kemenkes'].map((agencyId) => hub.token(role, agencyId)))))];
    const lookups = [
      [`query($id: ID!) { complaint(id: $id) { id title } }`, confidential.id],
      [`query($id: ID!) { escalation(id: $id) { id note } }`, escalationId],
    ] as const;
    for (const token of callers) {
      for (const [query, id] of lookups) {
        const existing = await hub.query(query, { id }, token);
        const absent = await hub.query(query, { id: missing }, token);
        expect(strip(existing, id, missing)).toBe(JSON.stringify(absent));
      }
      const byTracking = await hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { id title } }`, { t: confidential.trackingId }, token);
      const noSuchTracking = await hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { id title } }`, { t: 'LPR-0000000000' }, token);
      expect(JSON.stringify(byTracking)).toBe(JSON.stringify(noSuchTracking));
    }
  });

  it('of an escalation’s complaint is a clean null, without the gateway’s valueCompletion report', async () => {
    const inspectorate = await createUnit(hub, 'region-52.06', 'Inspektorat Daerah Uji');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const sent = await hub.query(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { input: { complaintId: (await forwardedConfidential()).id, toAgencyId: inspectorate, reason: 'SUPERVISORY' } },
      liaison,
    );
    if (sent.errors) throw new Error(JSON.stringify(sent.errors));
    // A supervisory escalation of a confidential, non-supervisory complaint: the Inspectorate reads
    // the escalation, not the complaint.
    const inspector = await hub.token('INSPECTOR', 'region-52.06');
    const response = await hub.query(
      `query($id: ID!) { escalation(id: $id) { id complaint { id title } } }`,
      { id: sent.data.escalateComplaint.escalation.id },
      inspector,
    );
    expect(response).toEqual({ status: 200, data: { escalation: { id: sent.data.escalateComplaint.escalation.id, complaint: null } } });
  });
});
