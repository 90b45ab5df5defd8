import { NodeDirectory, ServiceClient } from '@lapor-hub/lib';
import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { ComplaintsClient } from '@lapor-hub/escalation/src/complaints-client';
import { EscalationSchema } from '@lapor-hub/escalation/src/entities/escalation';
import { OutboxEventSchema } from '@lapor-hub/escalation/src/entities/outbox-event';
import { migrations } from '@lapor-hub/escalation/src/migrations';
import { escalateBreaches } from '@lapor-hub/escalation/src/services/sla-sweep';
import { NATIONAL_ID, TestHub, type GraphQLResponse } from './support/hub';
import { createUnit, hubCalendar, MUTATIONS, submit } from './support/lifecycle';

let hub: TestHub;
let calendar: WorkingCalendar;
let national: string;

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  calendar = await hubCalendar(hub);
});
afterAll(() => hub?.stop());

const ESCALATE = `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) {
  escalation { id status reason respondDueAt overdue fromAgency { id } toAgency { id } } } }`;
const RESPOND = `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) {
  escalation { id status respondedAt reassignment } } }`;

/** A complaint forwarded to `agencyId` by the national admin. */
async function forwardedTo(agencyId: string, regionCode = '52.06'): Promise<string> {
  const { id } = await submit(hub, { regionCode });
  await hub.query(MUTATIONS.verify, { input: { complaintId: id, version: 1 } }, national);
  const forwarded = await hub.query(MUTATIONS.forward, { input: { complaintId: id, version: 2, agencyId } }, national);
  if (forwarded.errors) throw new Error(JSON.stringify(forwarded.errors));
  return id;
}

async function escalationCount(): Promise<number> {
  const [{ count }] = await hub.sql<{ count: number }>('escalation', 'select count(*)::int as count from escalation.escalation');
  return count;
}

/** Waits until the escalation's reassignment leaves PENDING (the relay delivered it). */
async function reassignmentOf(escalationId: string): Promise<string | null> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await hub.sql<{ reassignment: string | null }>('escalation', 'select reassignment from escalation.escalation where id = $1', [escalationId]);
    if (row.reassignment !== 'PENDING') return row.reassignment;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 'PENDING';
}

const inbox = (agencyId: string) => `{ agency(id: "${agencyId}") { assignedComplaints(first: 100) { edges { node { id } } } } }`;
const ids = (response: GraphQLResponse) => response.data.agency.assignedComplaints.edges.map((edge: { node: { id: string } }) => edge.node.id);

describe('escalation between nodes', () => {
  it('moves a complaint from a regency to its province when the province accepts', async () => {
    const complaintId = await forwardedTo('region-52.06');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY', note: 'Jembatan provinsi' } }, liaison);
    expect(escalated.errors).toBeUndefined();
    const escalation = escalated.data.escalateComplaint.escalation;
    expect(escalation).toMatchObject({ status: 'OPEN', reason: 'HIGHER_AUTHORITY', overdue: false, fromAgency: { id: 'region-52.06' }, toAgency: { id: 'region-52' } });
    const [created] = await hub.sql<{ created_at: Date }>('escalation', 'select created_at from escalation.escalation where id = $1', [escalation.id]);
    expect(escalation.respondDueAt).toBe(calendar.endOfNthWorkingDayAfter(created.created_at, 3, 'Asia/Makassar').toISOString());

    const provinceAdmin = await hub.token('AGENCY_ADMIN', 'region-52');
    const incoming = await hub.query(`{ agency(id: "region-52") { incomingEscalations(status: OPEN) { totalCount edges { node { id } } } } }`, {}, provinceAdmin);
    expect(incoming.data.agency.incomingEscalations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(escalation.id);

    const accepted = await hub.query(RESPOND, { input: { escalationId: escalation.id, accept: true, note: 'Kami tangani' } }, provinceAdmin);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.respondToEscalation.escalation).toMatchObject({ status: 'ACCEPTED' });
    expect(await reassignmentOf(escalation.id)).toBe('APPLIED');

    const complaint = await hub.query(
      `query($id: ID!) { complaint(id: $id) { status assignedAgency { id name } followUpDueAt timeline { action agency { id } } escalations { status reassignment } } }`,
      { id: complaintId },
      provinceAdmin,
    );
    const respondedAt = new Date(accepted.data.respondToEscalation.escalation.respondedAt);
    expect(complaint.data.complaint).toMatchObject({
      status: 'FORWARDED',
      assignedAgency: { id: 'region-52', name: 'Nusa Tenggara Barat' },
      followUpDueAt: calendar.endOfNthWorkingDayAfter(respondedAt, 5, 'Asia/Makassar').toISOString(),
      escalations: [{ status: 'ACCEPTED', reassignment: 'APPLIED' }],
    });
    expect(complaint.data.complaint.timeline.at(-1)).toEqual({ action: 'ESCALATION_ACCEPTED', agency: { id: 'region-52' } });
    expect(ids(await hub.query(inbox('region-52'), {}, provinceAdmin))).toContain(complaintId);
    expect(ids(await hub.query(inbox('region-52.06'), {}, await hub.token('AGENCY_ADMIN', 'region-52.06')))).not.toContain(complaintId);
  });

  it('hands a supervisory complaint to the Inspectorate: visible to the INSPECTOR, invisible to the node’s other roles', async () => {
    const inspectorate = await createUnit(hub, 'region-52.06', 'Inspektorat Daerah');
    const complaintId = await forwardedTo('region-52.06');
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: inspectorate, reason: 'SUPERVISORY', note: 'Dugaan pungli oleh pejabat' } }, admin);
    expect(escalated.errors).toBeUndefined();
    const inspector = await hub.token('INSPECTOR', 'region-52.06');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    expect((await hub.query(RESPOND, { input: { escalationId: escalated.data.escalateComplaint.escalation.id, accept: true } }, liaison)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const accepted = await hub.query(RESPOND, { input: { escalationId: escalated.data.escalateComplaint.escalation.id, accept: true } }, inspector);
    expect(accepted.errors).toBeUndefined();
    expect(await reassignmentOf(escalated.data.escalateComplaint.escalation.id)).toBe('APPLIED');

    const read = `query($id: ID!) { complaint(id: $id) { supervisory assignedAgency { id } } }`;
    expect((await hub.query(read, { id: complaintId }, inspector)).data.complaint).toEqual({ supervisory: true, assignedAgency: { id: inspectorate } });
    for (const role of ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'AGENCY_SYSTEM'] as const) {
      // Not readable answers as not there, without an error (issue 12, item 5: it was FORBIDDEN).
      const refused = await hub.query(read, { id: complaintId }, await hub.token(role, 'region-52.06'));
      expect(refused).toMatchObject({ data: { complaint: null } });
      expect(refused.errors).toBeUndefined();
      const listed = await hub.query(inbox(inspectorate), {}, await hub.token(role, 'region-52.06'));
      expect(ids(listed)).not.toContain(complaintId);
    }
    expect(ids(await hub.query(inbox(inspectorate), {}, inspector))).toContain(complaintId);
  });

  it('sends a declined WRONG_AGENCY to the national admin’s queue', async () => {
    const complaintId = await forwardedTo('region-52.06');
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'kemenkes', reason: 'WRONG_AGENCY' } }, admin);
    const declined = await hub.query(RESPOND, { input: { escalationId: escalated.data.escalateComplaint.escalation.id, accept: false, note: 'Bukan kewenangan kami' } }, await hub.token('AGENCY_ADMIN', 'kemenkes'));
    expect(declined.data.respondToEscalation.escalation).toMatchObject({ status: 'DECLINED', reassignment: null });
    const queue = await hub.query(`{ agency(id: "${NATIONAL_ID}") { incomingEscalations(status: OPEN) { edges { node { reason note complaint { id } fromAgency { id } } } } } }`, {}, national);
    expect(queue.data.agency.incomingEscalations.edges).toContainEqual({
      node: { reason: 'WRONG_AGENCY', note: 'Declined by kemenkes: Bukan kewenangan kami', complaint: { id: complaintId }, fromAgency: { id: 'region-52.06' } },
    });
  });

  it('flags an escalation left unanswered past its 3 working days as overdue, and only while open', async () => {
    const complaintId = await forwardedTo('region-52.06');
    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } }, await hub.token('AGENCY_ADMIN', 'region-52.06'));
    const { id } = escalated.data.escalateComplaint.escalation;
    // As if three working days went by.
    await hub.sql('escalation', `update escalation.escalation set respond_due_at = now() - interval '1 minute' where id = $1`, [id]);
    const read = `query($id: ID!) { escalation(id: $id) { status overdue } }`;
    expect((await hub.query(read, { id }, national)).data.escalation).toEqual({ status: 'OPEN', overdue: true });
    await hub.query(RESPOND, { input: { escalationId: id, accept: false } }, await hub.token('AGENCY_ADMIN', 'region-52'));
    expect((await hub.query(read, { id }, national)).data.escalation).toEqual({ status: 'DECLINED', overdue: false });
  });

  it('refuses what a node may not do, changing nothing', async () => {
    const complaintId = await forwardedTo('region-52.06');
    const before = await escalationCount();
    const sibling = await hub.token('LIAISON_OFFICER', 'region-52.01');
    expect((await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } }, sibling)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    expect((await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52.06', reason: 'WRONG_AGENCY' } }, liaison)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'kemenkes', reason: 'SLA_BREACH' } }, liaison)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect((await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'kemenkes', reason: 'HIGHER_AUTHORITY' } }, liaison)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.toAgencyId' });
    expect(await escalationCount()).toBe(before);

    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } }, liaison);
    const escalationId = escalated.data.escalateComplaint.escalation.id;
    expect((await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'kemenkes', reason: 'WRONG_AGENCY' } }, liaison)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await escalationCount()).toBe(before + 1);
    const otherProvince = await hub.token('AGENCY_ADMIN', 'region-51');
    expect((await hub.query(RESPOND, { input: { escalationId, accept: true } }, otherProvince)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await hub.query(RESPOND, { input: { escalationId, accept: true } }, liaison)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const provinceAdmin = await hub.token('AGENCY_ADMIN', 'region-52');
    expect((await hub.query(RESPOND, { input: { escalationId, accept: false, note: 'Tetap di kabupaten' } }, provinceAdmin)).errors).toBeUndefined();
    const twice = await hub.query(RESPOND, { input: { escalationId, accept: true } }, provinceAdmin);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
    const [row] = await hub.sql<{ status: string; response_note: string }>('escalation', 'select status, response_note from escalation.escalation where id = $1', [escalationId]);
    expect(row).toEqual({ status: 'DECLINED', response_note: 'Tetap di kabupaten' });
    // Another province reads it as not there (issue 12, item 5: it was FORBIDDEN).
    expect(await hub.query(`query($id: ID!) { escalation(id: $id) { id } }`, { id: escalationId }, otherProvince)).toEqual({ status: 200, data: { escalation: null } });
  });
});

describe('delivery to the complaints service', () => {
  it('applies an acceptance exactly once when the complaints service was down at acceptance time', async () => {
    const complaintId = await forwardedTo('region-52.06');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const escalated = await hub.query(ESCALATE, { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } }, liaison);
    const escalationId = escalated.data.escalateComplaint.escalation.id;

    await hub.withSubgraphDown('complaints', async () => {
      const accepted = await hub.query(RESPOND, { input: { escalationId, accept: true } }, await hub.token('AGENCY_ADMIN', 'region-52'));
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.respondToEscalation.escalation.reassignment).toBe('PENDING');
      // The relay tries, fails and keeps the event.
      for (let attempt = 0; attempt < 50; attempt++) {
        const [event] = await hub.sql<{ attempts: number }>('escalation', `select attempts from escalation.outbox_event where payload->>'escalationId' = $1`, [escalationId]);
        if (event.attempts >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [event] = await hub.sql<{ attempts: number; delivered_at: Date | null }>('escalation', `select attempts, delivered_at from escalation.outbox_event where payload->>'escalationId' = $1`, [escalationId]);
      expect(event.attempts).toBeGreaterThanOrEqual(2);
      expect(event.delivered_at).toBeNull();
    });

    expect(await reassignmentOf(escalationId)).toBe('APPLIED');
    // Delivered again (as after a crash between applying and recording the delivery): no change.
    await hub.sql('escalation', `update escalation.outbox_event set delivered_at = null, next_attempt_at = now() where payload->>'escalationId' = $1`, [escalationId]);
    for (let attempt = 0; attempt < 50; attempt++) {
      const [event] = await hub.sql<{ delivered_at: Date | null }>('escalation', `select delivered_at from escalation.outbox_event where payload->>'escalationId' = $1`, [escalationId]);
      if (event.delivered_at) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [{ accepted }] = await hub.sql<{ accepted: number }>(
      'complaints',
      `select count(*)::int as accepted from complaints.timeline_entry where complaint_id = $1 and action = 'ESCALATION_ACCEPTED'`,
      [complaintId],
    );
    expect(accepted).toBe(1);
    const [complaint] = await hub.sql<{ assigned_agency_id: string; version: number }>('complaints', 'select assigned_agency_id, version from complaints.complaint where id = $1', [complaintId]);
    expect(complaint).toEqual({ assigned_agency_id: 'region-52', version: 4 });
  });

  it('records an event the complaints service refuses for good, instead of retrying it forever', async () => {
    const [{ id: escalationId }] = await hub.sql<{ id: string }>(
      'escalation',
      `insert into escalation.escalation (id, complaint_id, from_agency_id, to_agency_id, reason, status, created_at, respond_due_at, responded_at, reassignment, version)
       values (gen_random_uuid(), gen_random_uuid(), 'region-52.06', 'region-52', 'HIGHER_AUTHORITY', 'ACCEPTED', now(), now(), now(), 'PENDING', 1)
       returning id`,
    );
    const [{ complaint_id: complaintId }] = await hub.sql<{ complaint_id: string }>('escalation', 'select complaint_id from escalation.escalation where id = $1', [escalationId]);
    await hub.sql(
      'escalation',
      `insert into escalation.outbox_event (id, type, payload, created_at, next_attempt_at)
       values (gen_random_uuid(), 'ESCALATION_ACCEPTED', $1, now(), now())`,
      [JSON.stringify({ escalationId, complaintId, toAgencyId: 'region-52', supervisory: false, note: null, acceptedAt: new Date().toISOString(), acceptedByRole: 'AGENCY_ADMIN', acceptedByAgencyId: 'region-52' })],
    );
    expect(await reassignmentOf(escalationId)).toBe('REFUSED');
    const [event] = await hub.sql<{ delivered_at: Date | null; attempts: number; last_error: string }>(
      'escalation',
      `select delivered_at, attempts, last_error from escalation.outbox_event where payload->>'escalationId' = $1`,
      [escalationId],
    );
    expect(event.delivered_at).not.toBeNull();
    expect(event.attempts).toBe(1);
    expect(event.last_error).toMatch(/^NOT_FOUND: /);
  });
});

describe('the SLA-breach sweep', () => {
  let orm: Orm;
  let complaintsClient: ComplaintsClient;
  let directory: NodeDirectory;

  beforeAll(async () => {
    orm = await openDatabase({ clientUrl: hub.databases.urls.escalation, schema: 'escalation', entities: [EscalationSchema, OutboxEventSchema], migrations, poolMax: 3 });
    complaintsClient = new ComplaintsClient(new ServiceClient({ name: 'complaints', url: hub.subgraphs.complaints.url }, 'escalation', hub.secrets));
    directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: hub.subgraphs.agencies.url }, 'escalation', hub.secrets));
  });
  afterAll(() => orm?.close());

  it('escalates exactly the breached complaints to the node above, once, however often it runs', async () => {
    const regencyHeld = await forwardedTo('region-52.07', '52.07');
    const ministryHeld = await forwardedTo('kemenkes');
    const onTime = await forwardedTo('region-52.07', '52.07');
    const followedUp = await forwardedTo('region-52.07', '52.07');
    await hub.query(MUTATIONS.followUp, { input: { complaintId: followedUp, version: 3, body: 'Selesai' } }, national);
    // As if five working days went by for three of them (one was followed up in time).
    await hub.sql('complaints', `update complaints.complaint set follow_up_due_at = now() - interval '1 hour' where id = any($1)`, [[regencyHeld, ministryHeld, followedUp]]);
    // Every breach of this test file counted independently: FORWARDED, deadline passed, not yet escalated for that deadline.
    const breached = await hub.sql<{ id: string }>('complaints', `select id from complaints.complaint where status = 'FORWARDED' and follow_up_due_at < now()`);
    expect(breached.map((row) => row.id).sort()).toEqual([regencyHeld, ministryHeld].sort());

    const runs = await Promise.all([1, 2].map(() => escalateBreaches(orm.em.fork(), complaintsClient, directory)));
    expect(runs[0] + runs[1]).toBe(2);
    expect(await escalateBreaches(orm.em.fork(), complaintsClient, directory)).toBe(0);

    const rows = await hub.sql<{ complaint_id: string; from_agency_id: string; to_agency_id: string }>(
      'escalation',
      `select complaint_id, from_agency_id, to_agency_id from escalation.escalation where reason = 'SLA_BREACH' order by to_agency_id`,
    );
    expect(rows).toEqual([
      { complaint_id: ministryHeld, from_agency_id: 'kemenkes', to_agency_id: NATIONAL_ID },
      { complaint_id: regencyHeld, from_agency_id: 'region-52.07', to_agency_id: 'region-52' },
    ]);
    expect(rows.map((row) => row.complaint_id)).not.toContain(onTime);
  });

  it('escalates a supervisory complaint’s breach as supervisory: the Inspectorate above reads and answers it, its officials do not', async () => {
    const complaintId = await forwardedTo('region-52.07', '52.07');
    await hub.sql('complaints', `update complaints.complaint set supervisory = true, follow_up_due_at = now() - interval '1 hour' where id = $1`, [complaintId]);
    expect(await escalateBreaches(orm.em.fork(), complaintsClient, directory)).toBe(1);
    const [row] = await hub.sql<{ id: string; to_agency_id: string; supervisory: boolean }>(
      'escalation',
      `select id, to_agency_id, supervisory from escalation.escalation where complaint_id = $1 and reason = 'SLA_BREACH'`,
      [complaintId],
    );
    expect(row).toMatchObject({ to_agency_id: 'region-52', supervisory: true });
    const ordinary = await hub.sql<{ supervisory: boolean }>('escalation', `select supervisory from escalation.escalation where reason = 'SLA_BREACH' and id <> $1`, [row.id]);
    expect(ordinary.map((other) => other.supervisory)).not.toContain(true);

    const incoming = `{ agency(id: "region-52") { incomingEscalations(status: OPEN, first: 100) { totalCount edges { node { id note } } } } }`;
    const listedTo = async (token: string) =>
      (await hub.query(incoming, {}, token)).data.agency.incomingEscalations.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const provinceAdmin = await hub.token('AGENCY_ADMIN', 'region-52');
    const provinceInspector = await hub.token('INSPECTOR', 'region-52');
    expect(await listedTo(provinceAdmin)).not.toContain(row.id);
    expect(await listedTo(provinceInspector)).toContain(row.id);
    expect((await hub.query(RESPOND, { input: { escalationId: row.id, accept: false } }, provinceAdmin)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const declined = await hub.query(RESPOND, { input: { escalationId: row.id, accept: false, note: 'Diperiksa Inspektorat kabupaten' } }, provinceInspector);
    expect(declined.errors).toBeUndefined();
    expect(declined.data.respondToEscalation.escalation.status).toBe('DECLINED');
  });
});
