import { ROLES } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub } from './support/hub';
import { MUTATIONS, submit, type Submitted } from './support/lifecycle';

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
