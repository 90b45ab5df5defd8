import type { SubgraphName } from '@lapor-hub/lib';
import { TestHub } from './support/hub';
import { submit } from './support/lifecycle';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
  for (let i = 0; i < 110; i++) await submit(hub, { regionCode: '52.04', title: `Keluhan ${i}` });
  // Seeded as forwarded to the regency, with an escalation on some (the workflow itself is tested elsewhere).
  await hub.sql('complaints', `update complaints.complaint set status = 'FORWARDED', assigned_agency_id = 'region-52.04' where addressed_agency_id = 'region-52.04'`);
  await hub.sql(
    'escalation',
    `insert into escalation.escalation (id, complaint_id, from_agency_id, to_agency_id, reason, status, created_at, respond_due_at, version)
     select gen_random_uuid(), id, 'region-52.04', 'region-52', 'HIGHER_AUTHORITY', 'OPEN', now(), now() + interval '3 days', 1
     from unnest($1::uuid[]) as id`,
    [(await hub.sql<{ id: string }>('complaints', `select id from complaints.complaint where assigned_agency_id = 'region-52.04' limit 40`)).map((row) => row.id)],
  );
});
afterAll(() => hub?.stop());

const INBOX = `query($first: Int!) { agency(id: "region-52.04") { assignedComplaints(first: $first) { totalCount edges { node {
  id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { name parent { name } } escalations { id reason status } } } } } }`;

describe('the agency inbox', () => {
  it('costs the same SQL statements per subgraph at page sizes 10, 50 and 100 (no N+1)', async () => {
    const token = await hub.token('AGENCY_ADMIN', 'region-52.04');
    // The registry is on no inbox's path (and the gateways' polling of it would be counted).
    const counts: Record<number, Omit<Record<SubgraphName, number>, 'registry'>> = {};
    for (const first of [10, 50, 100]) {
      await hub.query(INBOX, { first }, token); // warms the node-directory cache, as in steady operation
      hub.sqlCounter.reset();
      const { data, errors } = await hub.query(INBOX, { first }, token);
      expect(errors).toBeUndefined();
      expect(data.agency.assignedComplaints.edges).toHaveLength(first);
      expect(data.agency.assignedComplaints.totalCount).toBe(110);
      counts[first] = {
        agencies: hub.sqlCounter.count('agencies'),
        complaints: hub.sqlCounter.count('complaints'),
        escalation: hub.sqlCounter.count('escalation'),
        webhooks: hub.sqlCounter.count('webhooks'),
      };
    }
    expect(counts[50]).toEqual(counts[10]);
    expect(counts[100]).toEqual(counts[10]);
    // complaints: page + count; agencies: the root agency, then the assigned agencies and their parents
    // (one batch each, in the gateway's second fetch); escalation: one batch.
    expect(counts[10]).toEqual({ complaints: 2, agencies: 3, escalation: 1, webhooks: 0 });
  });

  it('answers every complaint of a page with its agency, though the gateway asks for that agency once', async () => {
    const token = await hub.token('AGENCY_ADMIN', 'region-52.04');
    const { data, errors } = await hub.query(INBOX, { first: 100 }, token);
    expect(errors).toBeUndefined();
    const agencies = data.agency.assignedComplaints.edges.map((edge: { node: { assignedAgency: unknown } }) => edge.node.assignedAgency);
    expect(agencies).toEqual(Array.from({ length: 100 }, () => ({ name: 'Kabupaten Sumbawa', parent: { name: 'Nusa Tenggara Barat' } })));
  });
});
