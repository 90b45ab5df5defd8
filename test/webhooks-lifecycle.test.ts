import { closeSilentComplaints, reportPassedDeadlines } from '@lapor-hub/complaints/src/services/sweep';
import { EscalationSchema } from '@lapor-hub/escalation/src/entities/escalation';
import { OutboxEventSchema } from '@lapor-hub/escalation/src/entities/outbox-event';
import { migrations as escalationMigrations } from '@lapor-hub/escalation/src/migrations';
import { reportOverdueEscalations } from '@lapor-hub/escalation/src/services/sla-sweep';
import { ContactSeal } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { ComplaintSchema } from '@lapor-hub/complaints/src/entities/complaint';
import { complaintsMigrations } from '@lapor-hub/complaints/src/migrations';
import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { NATIONAL_ID, TestHub } from './support/hub';
import { createUnit, MUTATIONS, submit, type Submitted } from './support/lifecycle';
import { typesOf, WebhookReceiver, type ReceivedMessage } from './support/webhook-receiver';

/**
 * What agency systems hear of complaints and escalations, end to end: the citizen and the
 * officers act through the gateway, the complaints and escalation services write their events to
 * their outboxes, and receivers subscribed by the nodes' admins and Inspectorates verify every
 * message with `standardwebhooks`.
 */

let hub: TestHub;
let orm: Orm;
let escalationOrm: Orm;
const REGENCY = 'region-52.06';
const PROVINCE = 'region-52';
const receivers: Record<'regency' | 'province' | 'provinceOwn' | 'inspectorate' | 'national', WebhookReceiver> = {} as never;
const ALL_EVENTS = ['COMPLAINT_SUBMITTED', 'COMPLAINT_ASSIGNED', 'COMPLAINT_FOLLOWED_UP', 'COMPLAINT_REPLIED', 'COMPLAINT_CLOSED', 'COMPLAINT_OVERDUE', 'ESCALATION_RECEIVED', 'ESCALATION_ANSWERED', 'ESCALATION_OVERDUE'];
const ESCALATE = `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`;
const RESPOND = `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id status } } }`;
const REPORTER = { name: 'Siti Rahmawati', email: 'siti.rahmawati@example.org', phone: '+6281234567890' };

async function subscribe(receiver: WebhookReceiver, token: string, agencyId: string, includeDescendants?: boolean): Promise<string> {
  const { data, errors } = await hub.query(
    `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } } }`,
    { input: { agencyId, url: receiver.url, events: ALL_EVENTS, includeDescendants } },
    token,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  receiver.secrets.push(data.createWebhookSubscription.secret);
  return data.createWebhookSubscription.subscription.id;
}

beforeAll(async () => {
  hub = await TestHub.start();
  for (const name of ['regency', 'province', 'provinceOwn', 'inspectorate', 'national'] as const) receivers[name] = await WebhookReceiver.start();
  await subscribe(receivers.regency, await hub.token('AGENCY_ADMIN', REGENCY), REGENCY);
  // The province and the nation monitor the regency: these subscriptions ask for what they monitor too.
  await subscribe(receivers.province, await hub.token('AGENCY_ADMIN', PROVINCE), PROVINCE, true);
  await subscribe(receivers.provinceOwn, await hub.token('AGENCY_ADMIN', PROVINCE), PROVINCE);
  await subscribe(receivers.inspectorate, await hub.token('INSPECTOR', REGENCY), REGENCY);
  await subscribe(receivers.national, await hub.token('NATIONAL_ADMIN', NATIONAL_ID), NATIONAL_ID, true);
  orm = await openDatabase({
    clientUrl: hub.databases.urls.complaints,
    schema: 'complaints',
    entities: [ComplaintSchema],
    migrations: complaintsMigrations(new ContactSeal(hub.secrets.reporterContactKey)),
    poolMax: 2,
  });
  escalationOrm = await openDatabase({
    clientUrl: hub.databases.urls.escalation,
    schema: 'escalation',
    entities: [EscalationSchema, OutboxEventSchema],
    migrations: escalationMigrations,
    poolMax: 3,
  });
});
afterAll(async () => {
  await orm?.close();
  await escalationOrm?.close();
  for (const receiver of Object.values(receivers)) await receiver?.stop();
  await hub?.stop();
});

async function act(mutation: string, input: Record<string, unknown>, token?: string) {
  const { data, errors } = await hub.query(mutation, { input }, token);
  if (errors) throw new Error(JSON.stringify(errors));
  return data;
}

/** Waits until `receiver` holds `count` distinct verified messages about `complaintId`. */
function arrived(receiver: WebhookReceiver, complaintId: string, count: number, timeoutMs?: number) {
  return receiver.waitFor((r) => r.unique().filter((m) => m.verified?.data.complaintId === complaintId).length >= count, timeoutMs);
}

/** Nothing said in any message that anyone but the hub's own mailer may know: the reporter, the title, the body. */
function expectNoReporterIdentity(messages: readonly ReceivedMessage[]) {
  for (const message of messages) {
    for (const secret of [REPORTER.name, 'Siti', REPORTER.email, REPORTER.phone, '81234567890', 'Jembatan', 'ambruk', 'reporterToken']) {
      expect(message.body).not.toContain(secret);
    }
  }
}

describe('a complaint walked through its whole lifecycle, with an escalation', () => {
  it('reaches each node that may read it with exactly its events, in order, each webhook-id once', async () => {
    const admin = await hub.token('AGENCY_ADMIN', REGENCY);
    const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
    const complaint = await submit(hub, { anonymous: true, reporter: REPORTER });
    await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
    await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
    await act(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Perbaikan dijadwalkan bulan depan.' }, liaison);
    await act(MUTATIONS.reply, { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Belum ada perbaikan', satisfied: false });
    await arrived(receivers.regency, complaint.id, 4);

    // The regency asks its province to take the complaint; the province accepts and follows up.
    const escalation = (await act(ESCALATE, { complaintId: complaint.id, toAgencyId: PROVINCE, reason: 'HIGHER_AUTHORITY', note: 'Butuh anggaran provinsi' }, liaison))
      .escalateComplaint.escalation;
    await arrived(receivers.province, complaint.id, 5);
    await act(RESPOND, { escalationId: escalation.id, accept: true, note: 'Diambil alih' }, await hub.token('AGENCY_ADMIN', PROVINCE));
    // The acceptance reaches the complaints service through the escalation outbox; its assignment is the province's 7th message.
    await arrived(receivers.province, complaint.id, 7);
    const now = (await hub.query(`query($id: ID!) { complaint(id: $id) { version assignedAgency { id } } }`, { id: complaint.id }, await hub.token('NATIONAL_ADMIN', NATIONAL_ID))).data.complaint;
    expect(now.assignedAgency.id).toBe(PROVINCE);
    await act(MUTATIONS.followUp, { complaintId: complaint.id, version: now.version, body: 'Jembatan diperbaiki.' }, await hub.token('LIAISON_OFFICER', PROVINCE));
    await act(MUTATIONS.reply, { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Terima kasih', satisfied: true });

    const complaintEvents = ['complaint.submitted', 'complaint.assigned', 'complaint.followed_up', 'complaint.replied', 'complaint.assigned', 'complaint.followed_up', 'complaint.replied', 'complaint.closed'];
    await arrived(receivers.regency, complaint.id, 9);
    await arrived(receivers.province, complaint.id, 10);
    await arrived(receivers.national, complaint.id, 10);
    await arrived(receivers.provinceOwn, complaint.id, 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Without its descendants, the province hears only of what is its own: the escalation it was asked to answer, and the complaint once it held it.
    const own = receivers.provinceOwn.unique().filter((m) => m.verified?.data.complaintId === complaint.id);
    expect(typesOf(own).filter((type) => type.startsWith('complaint.'))).toEqual(['complaint.assigned', 'complaint.followed_up', 'complaint.replied', 'complaint.closed']);
    expect(typesOf(own).filter((type) => type.startsWith('escalation.'))).toEqual(['escalation.received']);
    for (const [name, escalationEvents] of [
      // The regency escalated: it hears the answer, not its own request.
      ['regency', ['escalation.answered']],
      // The province was asked, and as the regency's parent it hears the answer too.
      ['province', ['escalation.received', 'escalation.answered']],
      ['national', ['escalation.received', 'escalation.answered']],
    ] as const) {
      const messages = receivers[name].unique().filter((m) => m.verified?.data.complaintId === complaint.id);
      // Complaint events are in order (one producer, one outbox); escalation events likewise among themselves.
      expect([name, typesOf(messages).filter((type) => type.startsWith('complaint.'))]).toEqual([name, complaintEvents]);
      expect([name, typesOf(messages).filter((type) => type.startsWith('escalation.'))]).toEqual([name, escalationEvents]);
      // Every request that arrived verified, and repeats (if any) carried an id already seen.
      expect(receivers[name].received.every((m) => m.verified !== null)).toBe(true);
      expectNoReporterIdentity(receivers[name].received);
    }
    const closed = receivers.regency.unique().find((m) => m.verified?.type === 'complaint.closed' && m.verified.data.complaintId === complaint.id)!;
    expect(closed.verified!.data).toMatchObject({ complaintId: complaint.id, trackingId: complaint.trackingId, status: 'CLOSED', closedBy: 'REPORTER', assignedAgencyId: PROVINCE, addressedAgencyId: REGENCY, anonymous: true });
    const answered = receivers.regency.unique().find((m) => m.verified?.type === 'escalation.answered')!;
    expect(answered.verified!.data).toMatchObject({ escalationId: escalation.id, complaintId: complaint.id, reason: 'HIGHER_AUTHORITY', escalationStatus: 'ACCEPTED', fromAgencyId: REGENCY, toAgencyId: PROVINCE });
    // The Inspectorate hears nothing of a complaint that is not supervisory.
    expect(typesOf(receivers.inspectorate.unique(), complaint.id)).toEqual([]);
  });

  it("tells a supervisory complaint's events to the Inspectorate's subscription only, from the escalation that makes it supervisory on", async () => {
    const admin = await hub.token('AGENCY_ADMIN', REGENCY);
    const inspectorate = await createUnit(hub, REGENCY, 'Inspektorat Daerah');
    const complaint = await submit(hub, { reporter: REPORTER });
    await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
    await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
    await arrived(receivers.regency, complaint.id, 2);
    const escalation = (await act(ESCALATE, { complaintId: complaint.id, toAgencyId: inspectorate, reason: 'SUPERVISORY', note: 'Dugaan pungli oleh pejabat' }, admin)).escalateComplaint
      .escalation;
    await arrived(receivers.inspectorate, complaint.id, 1);
    await act(RESPOND, { escalationId: escalation.id, accept: true, note: null }, await hub.token('INSPECTOR', REGENCY));
    await arrived(receivers.inspectorate, complaint.id, 3);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(typesOf(receivers.inspectorate.unique(), complaint.id)).toEqual(['escalation.received', 'escalation.answered', 'complaint.assigned']);
    expect(receivers.inspectorate.unique().find((m) => m.verified?.type === 'complaint.assigned')!.verified!.data).toMatchObject({ supervisory: true, assignedAgencyId: inspectorate });
    for (const name of ['regency', 'province', 'national'] as const) {
      // Before the escalation it was an ordinary complaint of the regency; after it, theirs to hear of no more.
      expect([name, typesOf(receivers[name].unique(), complaint.id)]).toEqual([name, ['complaint.submitted', 'complaint.assigned']]);
    }
    expectNoReporterIdentity(receivers.inspectorate.received);
    expectNoReporterIdentity(receivers.regency.received);
  });
});

describe('sweeps', () => {
  it('report each passed deadline once, and a silent closing', async () => {
    const admin = await hub.token('AGENCY_ADMIN', REGENCY);
    const complaint = await submit(hub);
    const { verifyDueAt } = (await hub.query(`query($id: ID!) { complaint(id: $id) { verifyDueAt } }`, { id: complaint.id }, admin)).data.complaint;
    const later = new Date(new Date(verifyDueAt).getTime() + 60_000);
    await reportPassedDeadlines(orm.em.fork(), later);
    await reportPassedDeadlines(orm.em.fork(), new Date(later.getTime() + 60_000));
    await arrived(receivers.regency, complaint.id, 2);
    await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
    await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
    const forwarded = (await hub.query(`query($id: ID!) { complaint(id: $id) { followUpDueAt } }`, { id: complaint.id }, admin)).data.complaint;
    await reportPassedDeadlines(orm.em.fork(), new Date(new Date(forwarded.followUpDueAt).getTime() + 1000));
    await act(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Sudah ditangani.' }, await hub.token('LIAISON_OFFICER', REGENCY));
    const { closesAt } = (await hub.query(`query($id: ID!) { complaint(id: $id) { closesAt } }`, { id: complaint.id }, admin)).data.complaint;
    expect(await closeSilentComplaints(orm.em.fork(), new Date(new Date(closesAt).getTime() + 1000))).toBeGreaterThan(0);
    await arrived(receivers.regency, complaint.id, 6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const messages = receivers.regency.unique().filter((m) => m.verified?.data.complaintId === complaint.id);
    expect(typesOf(messages)).toEqual(['complaint.submitted', 'complaint.overdue', 'complaint.assigned', 'complaint.overdue', 'complaint.followed_up', 'complaint.closed']);
    expect(messages.filter((m) => m.verified!.type === 'complaint.overdue').map((m) => m.verified!.data)).toEqual([
      expect.objectContaining({ deadline: 'VERIFY', dueAt: verifyDueAt, status: 'SUBMITTED' }),
      expect.objectContaining({ deadline: 'FOLLOW_UP', dueAt: forwarded.followUpDueAt, status: 'FORWARDED' }),
    ]);
    expect(messages.at(-1)!.verified!.data).toMatchObject({ status: 'CLOSED', closedBy: 'SYSTEM' });
  });
});

describe('the SLA sweep', () => {
  it("reports an escalation whose answer deadline passed once, to the node asked and the node waiting, and none that was answered", async () => {
    const admin = await hub.token('AGENCY_ADMIN', REGENCY);
    const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
    const escalate = async () => {
      const complaint = await submit(hub);
      await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
      await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
      const escalation = (await act(ESCALATE, { complaintId: complaint.id, toAgencyId: PROVINCE, reason: 'NEEDS_COORDINATION', note: null }, liaison)).escalateComplaint.escalation;
      return { complaintId: complaint.id, escalationId: escalation.id as string };
    };
    const unanswered = await escalate();
    const answered = await escalate();
    await act(RESPOND, { escalationId: answered.escalationId, accept: false, note: 'Bukan kewenangan provinsi' }, await hub.token('AGENCY_ADMIN', PROVINCE));
    // As if three working days went by for both.
    await hub.sql('escalation', `update escalation.escalation set respond_due_at = now() - interval '1 minute' where id = any($1)`, [[unanswered.escalationId, answered.escalationId]]);
    const [{ respond_due_at: dueAt }] = await hub.sql<{ respond_due_at: Date }>('escalation', 'select respond_due_at from escalation.escalation where id = $1', [unanswered.escalationId]);

    // Two replicas' sweeps at once, then another run: one report between them.
    const runs = await Promise.all([1, 2].map(() => reportOverdueEscalations(escalationOrm.em.fork())));
    expect(runs[0] + runs[1]).toBe(1);
    expect(await reportOverdueEscalations(escalationOrm.em.fork())).toBe(0);

    for (const name of ['regency', 'province', 'provinceOwn', 'national'] as const) {
      await receivers[name].waitFor((r) => r.unique().some((m) => m.verified?.type === 'escalation.overdue' && m.verified.data.escalationId === unanswered.escalationId));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const name of ['regency', 'province', 'provinceOwn', 'national'] as const) {
      const overdue = receivers[name].unique().filter((m) => m.verified?.type === 'escalation.overdue');
      expect([name, overdue.map((m) => m.verified!.data.escalationId)]).toEqual([name, [unanswered.escalationId]]);
      expect(overdue[0].verified!.data).toEqual({
        escalationId: unanswered.escalationId,
        complaintId: unanswered.complaintId,
        reason: 'NEEDS_COORDINATION',
        fromAgencyId: REGENCY,
        toAgencyId: PROVINCE,
        escalationStatus: 'OPEN',
        respondDueAt: new Date(dueAt).toISOString(),
        supervisory: false,
        actorRole: null,
        deadline: 'ESCALATION_RESPONSE',
        dueAt: new Date(dueAt).toISOString(),
      });
    }
    expect(receivers.inspectorate.unique().filter((m) => m.verified?.type === 'escalation.overdue')).toEqual([]);
    // The mark and the event were written together.
    const [marked] = await hub.sql<{ overdue_reported_at: Date | null }>('escalation', 'select overdue_reported_at from escalation.escalation where id = $1', [unanswered.escalationId]);
    expect(marked.overdue_reported_at).not.toBeNull();
    expect(await hub.sql('escalation', `select type from escalation.hub_event_outbox where escalation_id = $1 and type = 'ESCALATION_OVERDUE'`, [answered.escalationId])).toEqual([]);
  });
});

describe('a receiver that is down while the hub restarts', () => {
  it('gets every event once it is back: none lost, none twice after de-duplication', async () => {
    const admin = await hub.token('AGENCY_ADMIN', REGENCY);
    const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
    await receivers.regency.down();
    const complaint = await submit(hub);
    await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
    // The webhooks service restarts while the complaints service goes on writing events.
    await hub.withSubgraphDown('webhooks', async () => {
      await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
    });
    await hub.withSubgraphDown('complaints', async () => new Promise((resolve) => setTimeout(resolve, 300)));
    await act(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Dalam proses.' }, liaison);
    await act(MUTATIONS.reply, { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Oke', satisfied: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await receivers.regency.listen();
    await arrived(receivers.regency, complaint.id, 5, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(typesOf(receivers.regency.unique(), complaint.id)).toEqual(['complaint.submitted', 'complaint.assigned', 'complaint.followed_up', 'complaint.replied', 'complaint.closed']);
    const ids = receivers.regency.received.filter((m) => m.verified?.data.complaintId === complaint.id).map((m) => m.id);
    expect(new Set(ids).size).toBe(5);
  });
});

describe('who hears of what, through the access matrix’s viewpoints', () => {
  /** Where a subscribing node stands to Kabupaten Bima, which holds every complaint here (test/access-matrix.test.ts). */
  const STANDINGS = { holder: REGENCY, sibling: 'region-52.01', parent: PROVINCE, ministry: 'kemenkes', national: NATIONAL_ID } as const;
  type Standing = keyof typeof STANDINGS;
  type Viewpoint = { standing: Standing; role: 'AGENCY_ADMIN' | 'INSPECTOR'; includeDescendants: boolean; token: string };

  it('gives every subscription exactly what its node’s officers may read, never a supervisory complaint beyond the Inspectorate, never a reporter', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const viewpoints = new Map<string, Viewpoint>();
      for (const standing of Object.keys(STANDINGS) as Standing[]) {
        for (const role of ['AGENCY_ADMIN', 'INSPECTOR'] as const) {
          for (const includeDescendants of [false, true]) {
            const token = await hub.token(role === 'AGENCY_ADMIN' && standing === 'national' ? 'NATIONAL_ADMIN' : role, STANDINGS[standing]);
            viewpoints.set(await subscribe(receiver, token, STANDINGS[standing], includeDescendants), { standing, role, includeDescendants, token });
          }
        }
      }
      const admin = await hub.token('AGENCY_ADMIN', REGENCY);
      const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
      const walk = async (overrides: Record<string, unknown>) => {
        const complaint = await submit(hub, { reporter: REPORTER, ...overrides });
        await act(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, admin);
        await act(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: REGENCY }, admin);
        return complaint;
      };
      const ordinary = await walk({});
      const anonymous = await walk({ anonymous: true });
      const confidential = await walk({ confidential: true });
      for (const complaint of [ordinary, anonymous, confidential]) {
        await act(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Perbaikan dijadwalkan.' }, liaison);
      }
      // Made supervisory by the escalation its Inspectorate accepts; followed up by the Inspectorate.
      const supervisory = await walk({ anonymous: true });
      const inspectorate = await createUnit(hub, REGENCY, 'Inspektorat Daerah Bima');
      const escalation = (await act(ESCALATE, { complaintId: supervisory.id, toAgencyId: inspectorate, reason: 'SUPERVISORY', note: 'Dugaan pungli' }, admin)).escalateComplaint.escalation;
      await act(RESPOND, { escalationId: escalation.id, accept: true, note: null }, await hub.token('INSPECTOR', REGENCY));
      const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
      for (let attempt = 0; ; attempt++) {
        const { data } = await hub.query(`query($id: ID!) { complaint(id: $id) { version assignedAgency { id } } }`, { id: supervisory.id }, national);
        if (data.complaint.assignedAgency.id === inspectorate) {
          await act(MUTATIONS.followUp, { complaintId: supervisory.id, version: data.complaint.version, body: 'Diperiksa.' }, await hub.token('INSPECTOR', REGENCY));
          break;
        }
        if (attempt > 100) throw new Error('the acceptance did not reach the complaint');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const walked = { ordinary, anonymous, confidential, supervisory };
      const reads = (viewpoint: Viewpoint) => viewpoint.standing === 'holder' || (viewpoint.includeDescendants && (viewpoint.standing === 'parent' || viewpoint.standing === 'national'));
      const ORDINARY = ['complaint.submitted', 'complaint.assigned', 'complaint.followed_up'];
      const expected = (viewpoint: Viewpoint, name: keyof typeof walked): string[] => {
        if (!reads(viewpoint)) return [];
        if (name !== 'supervisory') return viewpoint.role === 'AGENCY_ADMIN' ? ORDINARY : [];
        // An ordinary complaint until the Inspectorate took it; the Inspectorate's alone from then on.
        return viewpoint.role === 'AGENCY_ADMIN'
          ? ['complaint.submitted', 'complaint.assigned']
          : ['complaint.assigned', 'complaint.followed_up', 'escalation.answered', 'escalation.received'];
      };
      const total = [...viewpoints.values()].reduce((sum, viewpoint) => sum + Object.keys(walked).reduce((n, name) => n + expected(viewpoint, name as keyof typeof walked).length, 0), 0);
      const ours = (m: ReceivedMessage) => Object.values(walked).some((complaint) => complaint.id === m.verified?.data.complaintId);
      await receiver.waitFor((r) => r.unique().filter(ours).length >= total, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));

      const messages = receiver.unique().filter(ours);
      expect(messages).toHaveLength(total);
      const deliveries = await hub.sql<{ id: string; subscription_id: string }>('webhooks', 'select id, subscription_id from webhooks.delivery where id = any($1)', [messages.map((m) => m.id)]);
      const subscriptionOf = new Map(deliveries.map((row) => [row.id, row.subscription_id]));
      for (const [subscriptionId, viewpoint] of viewpoints) {
        const mine = messages.filter((m) => subscriptionOf.get(m.id) === subscriptionId);
        for (const [name, complaint] of Object.entries(walked) as [keyof typeof walked, Submitted][]) {
          const types = typesOf(mine, complaint.id);
          // Complaint events in their order; escalation events (another producer) apart.
          const got = [...types.filter((type) => type.startsWith('complaint.')), ...types.filter((type) => type.startsWith('escalation.')).sort()];
          expect([viewpoint.standing, viewpoint.role, viewpoint.includeDescendants, name, got]).toEqual([viewpoint.standing, viewpoint.role, viewpoint.includeDescendants, name, expected(viewpoint, name)]);
          if (got.length === 0) continue;
          if (name === 'supervisory' && viewpoint.role === 'AGENCY_ADMIN') {
            // Heard of while it was an ordinary complaint; no longer theirs to read.
            expect(mine.filter((m) => m.verified!.data.complaintId === complaint.id).map((m) => m.verified!.data.supervisory)).toEqual([false, false]);
            continue;
          }
          // What a subscription heard of, its node's officers may read, through the gateway.
          const { data } = await hub.query(`query($id: ID!) { complaint(id: $id) { id reporter { name } } }`, { id: complaint.id }, viewpoint.token);
          expect([viewpoint.standing, viewpoint.role, name, data.complaint?.id]).toEqual([viewpoint.standing, viewpoint.role, name, complaint.id]);
          if (name === 'anonymous' || name === 'supervisory') expect(data.complaint.reporter).toBeNull();
        }
      }
      expect(receiver.received.every((m) => m.verified !== null)).toBe(true);
      expectNoReporterIdentity(receiver.received);
    } finally {
      await receiver.stop();
    }
  });
});
