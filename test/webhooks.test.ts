import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { GATEWAY_CREDENTIAL_HEADER, type ServiceHandle, type Viewer } from '@lapor-hub/lib';
import { openDatabase } from '@lapor-hub/lib/database';
import { webhookSecretKeys } from '@lapor-hub/webhooks/src/config';
import { WebhookSecretKeyring } from '@lapor-hub/webhooks/src/domain/secret-sealing';
import { WebhookDeliverySchema } from '@lapor-hub/webhooks/src/entities/delivery';
import { HubEventSchema } from '@lapor-hub/webhooks/src/entities/hub-event';
import { WebhookSubscriptionSchema } from '@lapor-hub/webhooks/src/entities/subscription';
import { webhooksMigrations } from '@lapor-hub/webhooks/src/migrations';
import { startWebhooksService } from '@lapor-hub/webhooks/src/server';
import { resealSigningSecrets } from '@lapor-hub/webhooks/src/services/secret-keys';
import { createTestDatabases } from './support/databases';
import { graphQLBody, NATIONAL_ID, postGraphQL, TestHub } from './support/hub';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhook subscriptions through the gateway, and their deliveries as a receiver sees them: events
 * are reported here as the complaints and escalation services report them (`recordHubEvents`,
 * straight on the subgraph), and the receiver verifies every message with `standardwebhooks`.
 */

let hub: TestHub;
let receiver: WebhookReceiver;
let admin: string;
const REGENCY = 'region-52.06';
const PROVINCE = 'region-52';
const OTHER = 'region-52.04';
const COMPLAINTS: Viewer = { kind: 'service', name: 'complaints' };

beforeAll(async () => {
  hub = await TestHub.start();
  receiver = await WebhookReceiver.start();
  admin = await hub.token('AGENCY_ADMIN', REGENCY);
});
afterAll(async () => {
  await receiver?.stop();
  await hub?.stop();
});
// Each test starts with no subscription, so that only its own receive its events.
beforeEach(async () => {
  await hub.sql('webhooks', 'delete from webhooks.subscription');
  receiver.received.length = 0;
  receiver.secrets = [];
  receiver.answer = () => ({ status: 200 });
});

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) { secret subscription { id url events active inspectorate includeDescendants description agency { id name } } } }`;
const CREATE_DIRECT = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } } }`;
const RECORD = `mutation($input: RecordHubEventsInput!) { recordHubEvents(input: $input) { recorded deliveries } }`;
const SUBSCRIPTIONS = `query($id: ID!, $status: WebhookDeliveryStatus) { agency(id: $id) { webhookSubscriptions {
  id active disabledReason inspectorate events
  deliveries(status: $status, first: 50) { totalCount edges { node { id event status attempts responseStatus lastAttemptAt nextAttemptAt } } } } } }`;

async function subscribe(
  token: string,
  input: Partial<{ agencyId: string; url: string; events: string[]; description: string; includeDescendants: boolean }> = {},
): Promise<{ id: string; secret: string }> {
  const { data, errors } = await hub.query(CREATE, { input: { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_ASSIGNED'], ...input } }, token);
  if (errors) throw new Error(JSON.stringify(errors));
  receiver.secrets.push(data.createWebhookSubscription.secret);
  return { id: data.createWebhookSubscription.subscription.id, secret: data.createWebhookSubscription.secret };
}

/** An event as the complaints service reports one: the regency holds the complaint (the province and the nation above it monitor it). */
function event(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  const complaintId = (overrides.complaintId as string) ?? randomUUID();
  return {
    id: randomUUID(),
    type: 'COMPLAINT_ASSIGNED',
    occurredAt: new Date().toISOString(),
    agencyIds: [REGENCY],
    supervisory: false,
    confidential: false,
    complaintId,
    payload: { complaintId, trackingId: 'LPR-TEST', status: 'FORWARDED', assignedAgencyId: REGENCY, ...payload },
    ...overrides,
  };
}

async function record(events: Record<string, unknown>[], viewer: Viewer = COMPLAINTS) {
  return hub.querySubgraph('webhooks', RECORD, { input: { events } }, viewer);
}

async function recorded(events: Record<string, unknown>[]) {
  const { data, errors } = await record(events);
  if (errors) throw new Error(JSON.stringify(errors));
  return data.recordHubEvents as { recorded: number; deliveries: number };
}

async function rows(text: string, params: unknown[] = []) {
  return hub.sql('webhooks', text, params);
}

async function deliveriesOf(subscriptionId: string) {
  return rows(`select id, event, status, attempts, response_status from webhooks.delivery where subscription_id = $1 order by seq`, [subscriptionId]);
}


/** A webhooks service of its own on the hub's database (another replica, or one configured otherwise). */
async function extraService(options: Partial<Parameters<typeof startWebhooksService>[0]> = {}): Promise<{ service: ServiceHandle; query: (query: string, variables: Record<string, unknown>, viewer: Viewer) => Promise<any> }> {
  const service = await startWebhooksService({
    databaseUrl: hub.databases.urls.webhooks,
    poolMax: hub.databases.poolMax,
    secrets: hub.serviceSecrets,
    agenciesUrl: hub.subgraphs.agencies.url,
    urlPolicy: { httpsOnly: false, allowPrivate: true },
    secretKeys: hub.serviceConfig.webhooks.secretKeys,
    ...options,
  });
  return {
    service,
    query: async (query, variables, viewer) => {
      const credential = await hub.credential('webhooks', viewer, graphQLBody(query, variables));
      return postGraphQL(service.url, query, variables, { [GATEWAY_CREDENTIAL_HEADER]: credential });
    },
  };
}

describe('subscribing', () => {
  it("lets a node's admin subscribe its node, shows the secret once, and lists the subscription to its admin", async () => {
    const { data, errors } = await hub.query(
      CREATE,
      { input: { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_ASSIGNED', 'COMPLAINT_ASSIGNED', 'COMPLAINT_CLOSED'], description: 'Sistem Bima' } },
      admin,
    );
    expect(errors).toBeUndefined();
    const { secret, subscription } = data.createWebhookSubscription;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscription).toEqual({
      id: expect.any(String),
      url: receiver.url,
      events: ['COMPLAINT_ASSIGNED', 'COMPLAINT_CLOSED'],
      active: true,
      inspectorate: false,
      includeDescendants: false,
      description: 'Sistem Bima',
      agency: { id: REGENCY, name: 'Kabupaten Bima' },
    });
    const listed = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.agency.webhookSubscriptions.map((s: { id: string }) => s.id)).toContain(subscription.id);
    expect(JSON.stringify(listed)).not.toContain(secret);
    await hub.query(`mutation($id: ID!) { deleteWebhookSubscription(input: { subscriptionId: $id }) { subscriptionId } }`, { id: subscription.id }, admin);
  });

  it('refuses the public, other roles and other nodes, and stores nothing', async () => {
    const before = await rows('select count(*)::int as n from webhooks.subscription');
    const input = { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_ASSIGNED'] };
    const cases: [string | undefined, string][] = [
      [undefined, 'UNAUTHENTICATED'],
      [await hub.token('LIAISON_OFFICER', REGENCY), 'FORBIDDEN'],
      [await hub.token('AGENCY_SYSTEM', REGENCY), 'FORBIDDEN'],
      [await hub.token('DASHBOARD', NATIONAL_ID), 'FORBIDDEN'],
      [await hub.token('AGENCY_ADMIN', OTHER), 'FORBIDDEN'],
      // A province's admin monitors its regencies but subscribes only its own node.
      [await hub.token('AGENCY_ADMIN', PROVINCE), 'FORBIDDEN'],
    ];
    for (const [token, code] of cases) {
      const { errors } = await hub.query(CREATE, { input }, token);
      expect(errors?.[0].extensions?.code).toBe(code);
    }
    for (const [token, code] of [
      [undefined, 'UNAUTHENTICATED'],
      [await hub.token('AGENCY_ADMIN', OTHER), 'FORBIDDEN'],
    ] as const) {
      const { errors } = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, token);
      expect(errors?.[0].extensions?.code).toBe(code);
    }
    expect(await rows('select count(*)::int as n from webhooks.subscription')).toEqual(before);
  });

  it('names the field of bad input, and stores nothing', async () => {
    const before = await rows('select count(*)::int as n from webhooks.subscription');
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'not a url' }, 'input.url'],
      [{ url: 'ftp://example.org/hook' }, 'input.url'],
      [{ url: 'https://user:secret@example.org/hook' }, 'input.url'],
      [{ url: `https://example.org/${'a'.repeat(2001)}` }, 'input.url'],
      [{ events: [] }, 'input.events'],
      [{ agencyId: 'no-such-node' }, 'input.agencyId'],
      [{ description: 'x'.repeat(201) }, 'input.description'],
    ];
    for (const [override, field] of cases) {
      const { errors } = await hub.query(CREATE, { input: { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_ASSIGNED'], ...override } }, admin);
      expect([override, errors?.[0].extensions]).toMatchObject([override, { code: 'BAD_USER_INPUT', field }]);
    }
    const unknownEvent = await hub.query(CREATE, { input: { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_EATEN'] } }, admin);
    expect(unknownEvent.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rows('select count(*)::int as n from webhooks.subscription')).toEqual(before);
  });

  it('refuses loopback, link-local and private receivers, and http in production, without WEBHOOK_ALLOW_PRIVATE_URLS', async () => {
    const strict = await extraService({ urlPolicy: { httpsOnly: true, allowPrivate: false } });
    try {
      const officer: Viewer = { kind: 'officer', sub: 'test-admin', role: 'AGENCY_ADMIN', agencyId: REGENCY };
      for (const url of [
        'https://127.0.0.1/hook',
        'https://localhost:8443/hook',
        'https://[::1]/hook',
        'https://10.1.2.3/hook',
        'https://192.168.1.10/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://[::ffff:127.0.0.1]/hook',
        'https://[fd00::1]/hook',
        'https://0.0.0.0/hook',
        receiver.url,
      ]) {
        const { errors } = await strict.query(CREATE_DIRECT, { input: { agencyId: REGENCY, url, events: ['COMPLAINT_ASSIGNED'] } }, officer);
        expect([url, errors?.[0].extensions]).toEqual([url, { code: 'BAD_USER_INPUT', field: 'input.url' }]);
      }
    } finally {
      await strict.service.stop();
    }
  });
});

describe('recording events', () => {
  it('is for the producing hub services only', async () => {
    for (const viewer of [{ kind: 'public' }, { kind: 'service', name: 'agencies' }, { kind: 'officer', sub: 'x', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID }] as Viewer[]) {
      const { errors } = await record([event()], viewer);
      expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const { errors } = await hub.query(RECORD, { input: { events: [] } }, await hub.token('NATIONAL_ADMIN', NATIONAL_ID));
    expect(errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("refuses a payload that carries anything but ids, statuses, deadlines and nodes (a reporter's identity), and records nothing", async () => {
    const before = await rows('select count(*)::int as n from webhooks.hub_event');
    for (const extra of [{ reporterName: 'Siti' }, { reporter: { email: 'siti@example.org' } }, { phone: '+6281234567890' }, { title: 'Jalan rusak' }]) {
      const { errors } = await record([event({}, extra)]);
      expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.events.0.payload' });
    }
    expect(await rows('select count(*)::int as n from webhooks.hub_event')).toEqual(before);
  });
});

describe('delivering', () => {
  it('sends a signed Standard Webhooks message once per event id, to the matching subscriptions only', async () => {
    const { id, secret } = await subscribe(admin, { events: ['COMPLAINT_ASSIGNED', 'COMPLAINT_CLOSED'] });
    const other = await subscribe(await hub.token('AGENCY_ADMIN', OTHER), { agencyId: OTHER });
    const assigned = event();
    expect(await recorded([assigned])).toEqual({ recorded: 1, deliveries: 1 });
    // The same event again (a producer's retry) is recorded once.
    expect(await recorded([assigned])).toEqual({ recorded: 0, deliveries: 0 });
    // Not subscribed (followed up), or not of this node (another regency's complaint).
    await recorded([event({ type: 'COMPLAINT_FOLLOWED_UP' }), event({ agencyIds: [OTHER] })]);
    await receiver.waitFor((r) => r.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [message] = receiver.received.filter((m) => m.verified?.data.complaintId === assigned.complaintId);
    expect(new Webhook(secret).verify(message.body, { 'webhook-id': message.id, 'webhook-timestamp': message.timestamp, 'webhook-signature': message.signature })).toEqual({
      type: 'complaint.assigned',
      timestamp: assigned.occurredAt,
      data: assigned.payload,
    });
    const [delivery] = await deliveriesOf(id);
    expect(message.id).toBe(delivery.id);
    expect(Math.abs(Number(message.timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect((await deliveriesOf(id)).map((d) => d.event)).toEqual(['COMPLAINT_ASSIGNED']);
    expect((await deliveriesOf(other.id)).map((d) => d.event)).toEqual(['COMPLAINT_ASSIGNED']);
    const { data } = await hub.query(SUBSCRIPTIONS, { id: REGENCY, status: 'DELIVERED' }, admin);
    const listed = data.agency.webhookSubscriptions.find((s: { id: string }) => s.id === id);
    expect(listed.deliveries).toEqual({
      totalCount: 1,
      edges: [{ node: { id: delivery.id, event: 'COMPLAINT_ASSIGNED', status: 'DELIVERED', attempts: 1, responseStatus: 200, lastAttemptAt: expect.any(String), nextAttemptAt: null } }],
    });
  });
});

describe('delivering despite failing receivers', () => {
  it("keeps a complaint's messages in order per subscription: a later one waits for a failing earlier one, another complaint does not", async () => {
    const { id } = await subscribe(admin, { events: ['COMPLAINT_ASSIGNED', 'COMPLAINT_FOLLOWED_UP', 'COMPLAINT_CLOSED'] });
    const first = event();
    const stuck = first.complaintId;
    let failures = 3;
    receiver.answer = (message) => (message.verified?.data.complaintId === stuck && message.verified.type === 'complaint.assigned' && failures-- > 0 ? { status: 500 } : { status: 200 });
    await recorded([first]);
    await receiver.waitFor((r) => r.received.length >= 1);
    const later = [event({ type: 'COMPLAINT_FOLLOWED_UP', complaintId: stuck }), event({ type: 'COMPLAINT_CLOSED', complaintId: stuck })];
    const unrelated = event();
    await recorded([...later, unrelated]);
    await receiver.waitFor((r) => r.unique().filter((m) => m.verified?.data.complaintId === stuck).length === 3);
    const sequence = receiver.received.filter((m) => m.verified?.data.complaintId === stuck).map((m) => m.verified!.type);
    expect(sequence).toEqual(['complaint.assigned', 'complaint.assigned', 'complaint.assigned', 'complaint.assigned', 'complaint.followed_up', 'complaint.closed']);
    // The other complaint went out while the first one was being retried.
    const unrelatedAt = receiver.received.find((m) => m.verified?.data.complaintId === unrelated.complaintId)!.receivedAt;
    expect(unrelatedAt).toBeLessThan(receiver.received.filter((m) => m.verified?.data.complaintId === stuck).at(-1)!.receivedAt);
    const retried = receiver.received.filter((m) => m.verified?.data.complaintId === stuck && m.verified.type === 'complaint.assigned');
    expect(new Set(retried.map((m) => m.id)).size).toBe(1);
    expect((await deliveriesOf(id))[0]).toMatchObject({ status: 'DELIVERED', attempts: 4, response_status: 200 });
  });

  it('retries a receiver that is down, times out, hangs up or redirects, until it answers 2xx', async () => {
    const { id } = await subscribe(admin);
    await receiver.down();
    const events = [event(), event(), event()];
    await recorded(events);
    await waitUntilAttempted(id, 2);
    await receiver.listen();
    const answers = [{ status: 200, delayMs: 1500 }, { hangUp: true as const }, { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }, { status: 503 }];
    receiver.answer = () => answers.shift() ?? { status: 200 };
    await receiver.waitFor((r) => events.every((e) => r.received.some((m) => m.verified?.data.complaintId === e.complaintId && answers.length === 0)), 30_000);
    await waitUntil(async () => (await deliveriesOf(id)).every((d) => d.status === 'DELIVERED'), 30_000);
    expect(receiver.unique().filter((m) => events.some((e) => e.complaintId === m.verified?.data.complaintId))).toHaveLength(3);
    const { data } = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
    const listed = data.agency.webhookSubscriptions.find((s: { id: string }) => s.id === id);
    expect(listed.active).toBe(true);
    expect(listed.deliveries.edges.map((e: { node: { status: string } }) => e.node.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
  });

  it('disables a subscription whose receiver answers 410 Gone, with the reason its admin reads', async () => {
    const { id } = await subscribe(admin);
    receiver.answer = () => ({ status: 410 });
    await recorded([event(), event()]);
    await waitUntil(async () => (await deliveriesOf(id)).every((d) => d.status === 'FAILED'));
    const { data } = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
    const listed = data.agency.webhookSubscriptions.find((s: { id: string }) => s.id === id);
    expect(listed).toMatchObject({ active: false, disabledReason: expect.stringMatching(/^The receiver answered 410 Gone on /) });
    expect(listed.deliveries.edges.map((e: { node: { responseStatus: number | null } }) => e.node.responseStatus).sort()).toEqual([410, null]);
    // Nothing more is queued for it.
    expect(await recorded([event()])).toEqual({ recorded: 1, deliveries: expect.any(Number) });
    expect((await deliveriesOf(id)).length).toBe(2);
    const redeliver = await hub.query(REDELIVER, { id: (await deliveriesOf(id))[0].id }, admin);
    expect(redeliver.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('fails a message after its day of retries (here shortened), shows it FAILED, and sends it again on redeliverWebhook with the same webhook-id', async () => {
    const short = await extraService({ retry: { firstDelayMs: 100, maxDelayMs: 200, giveUpAfterMs: 1500 }, worker: { timeoutMs: 500, idleMs: 200 } });
    try {
      const { id } = await subscribe(admin);
      receiver.answer = () => ({ status: 500 });
      const { data, errors } = await short.query(RECORD, { input: { events: [event()] } }, COMPLAINTS);
      expect(errors).toBeUndefined();
      expect(data.recordHubEvents.deliveries).toBeGreaterThan(0);
      await waitUntil(async () => (await deliveriesOf(id))[0]?.status === 'FAILED');
      const [failed] = await deliveriesOf(id);
      expect(failed.attempts).toBeGreaterThan(2);
      receiver.answer = () => ({ status: 204 });
      const again = await hub.query(REDELIVER, { id: failed.id }, admin);
      expect(again.errors).toBeUndefined();
      expect(again.data.redeliverWebhook.delivery).toMatchObject({ id: failed.id, status: 'PENDING' });
      await waitUntil(async () => (await deliveriesOf(id))[0].status === 'DELIVERED');
      expect(new Set(receiver.received.map((m) => m.id))).toEqual(new Set([failed.id]));
      expect((await hub.query(REDELIVER, { id: failed.id }, await hub.token('AGENCY_ADMIN', OTHER))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await short.service.stop();
    }
  });

  it('disables a subscription that failed for three days (here shortened)', async () => {
    const short = await extraService({ retry: { firstDelayMs: 100, maxDelayMs: 200, disableAfterMs: 1000 }, worker: { timeoutMs: 500, idleMs: 200 } });
    try {
      const { id } = await subscribe(admin);
      receiver.answer = () => ({ status: 500 });
      await short.query(RECORD, { input: { events: [event()] } }, COMPLAINTS);
      await waitUntil(async () => (await rows('select active from webhooks.subscription where id = $1', [id]))[0].active === false);
      const { data } = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
      expect(data.agency.webhookSubscriptions.find((s: { id: string }) => s.id === id).disabledReason).toMatch(/^Every delivery failed since .* \(last: HTTP 500\)$/);
    } finally {
      await short.service.stop();
    }
  });
});

const REDELIVER = `mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id status attempts } } }`;

async function waitUntilAttempted(subscriptionId: string, attempts: number): Promise<void> {
  await waitUntil(async () => (await deliveriesOf(subscriptionId)).every((d) => Number(d.attempts) >= attempts));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('who receives what', () => {
  it("gives a supervisory complaint's events to the Inspectorate's subscriptions only, and the Inspectorate nothing else", async () => {
    const inspector = await hub.token('INSPECTOR', REGENCY);
    const officers = await subscribe(admin);
    const national = await subscribe(await hub.token('NATIONAL_ADMIN', NATIONAL_ID), { agencyId: NATIONAL_ID, includeDescendants: true });
    const province = await subscribe(await hub.token('AGENCY_ADMIN', PROVINCE), { agencyId: PROVINCE, includeDescendants: true });
    const inspectorate = await subscribe(inspector);
    const provinceInspectorate = await subscribe(await hub.token('INSPECTOR', PROVINCE), { agencyId: PROVINCE, includeDescendants: true });
    // Without their descendants, the nodes above hear of neither.
    const provinceOwn = await subscribe(await hub.token('AGENCY_ADMIN', PROVINCE), { agencyId: PROVINCE });
    const provinceInspectorateOwn = await subscribe(await hub.token('INSPECTOR', PROVINCE), { agencyId: PROVINCE });
    const supervisory = event({ supervisory: true }, { supervisory: true });
    const ordinary = event();
    await recorded([supervisory, ordinary]);
    await waitUntil(async () => (await rows(`select count(*)::int as n from webhooks.delivery where status = 'PENDING'`))[0].n === 0);
    const complaintsOf = async (id: string) => (await rows('select e.complaint_id from webhooks.delivery d join webhooks.hub_event e on e.id = d.event_id where d.subscription_id = $1', [id])).map((row) => row.complaint_id);
    expect(await complaintsOf(inspectorate.id)).toEqual([supervisory.complaintId]);
    expect(await complaintsOf(provinceInspectorate.id)).toEqual([supervisory.complaintId]);
    for (const subscription of [officers, national, province]) expect(await complaintsOf(subscription.id)).toEqual([ordinary.complaintId]);
    for (const subscription of [provinceOwn, provinceInspectorateOwn]) expect(await complaintsOf(subscription.id)).toEqual([]);
    // The lists keep the two apart too: the admin does not see the Inspectorate's subscription, nor the other way round.
    const listOf = async (token: string) => ((await hub.query(SUBSCRIPTIONS, { id: REGENCY }, token)).data.agency.webhookSubscriptions as { id: string }[]).map((s) => s.id);
    expect(await listOf(admin)).toEqual([officers.id]);
    expect(await listOf(inspector)).toEqual([inspectorate.id]);
    expect((await listOf(await hub.token('NATIONAL_ADMIN', NATIONAL_ID))).sort()).toEqual([officers.id, inspectorate.id].sort());
    const deleted = await hub.query(`mutation($id: ID!) { deleteWebhookSubscription(input: { subscriptionId: $id }) { subscriptionId } }`, { id: inspectorate.id }, admin);
    expect(deleted.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("refuses another node's subscription to rotate, delete or redeliver", async () => {
    const { id } = await subscribe(admin);
    const other = await hub.token('AGENCY_ADMIN', OTHER);
    for (const mutation of [
      `mutation($id: ID!) { rotateWebhookSecret(input: { subscriptionId: $id }) { secret } }`,
      `mutation($id: ID!) { deleteWebhookSubscription(input: { subscriptionId: $id }) { subscriptionId } }`,
    ]) {
      expect((await hub.query(mutation, { id }, other)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await hub.query(mutation, { id })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await hub.query(mutation, { id: randomUUID() }, admin)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect(await rows('select id from webhooks.subscription')).toEqual([{ id }]);
  });
});

describe('secrets', () => {
  it('signs with the old and the new secret for a day after a rotation', async () => {
    const { id, secret: old } = await subscribe(admin);
    const { data, errors } = await hub.query(`mutation($id: ID!) { rotateWebhookSecret(input: { subscriptionId: $id }) { secret subscription { id } } }`, { id }, admin);
    expect(errors).toBeUndefined();
    const fresh = data.rotateWebhookSecret.secret;
    expect(fresh).not.toBe(old);
    await recorded([event()]);
    await receiver.waitFor((r) => r.received.length === 1);
    const [message] = receiver.received;
    const headers = { 'webhook-id': message.id, 'webhook-timestamp': message.timestamp, 'webhook-signature': message.signature };
    expect(message.signature.split(' ')).toHaveLength(2);
    for (const secret of [old, fresh]) expect(() => new Webhook(secret).verify(message.body, headers)).not.toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(message.body, headers)).toThrow();
  });
});

describe('secrets at rest', () => {
  const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(input: { subscriptionId: $id }) { secret } }`;
  const newKey = () => new TextEncoder().encode(randomBytes(32).toString('base64url'));
  const webhooksEntities = [WebhookSubscriptionSchema, WebhookDeliverySchema, HubEventSchema];

  /** The webhooks schema as a backup of the database holds it, every byte. */
  async function dump(): Promise<Buffer> {
    const { stdout } = await promisify(execFile)('pg_dump', ['--schema=webhooks', '--data-only', hub.databases.urls.webhooks], { encoding: 'buffer', maxBuffer: 64 << 20 });
    return stdout;
  }

  /** A signing secret in every form a reader of the database could recognise: as given, its key bytes, their hex. */
  function formsOf(secret: string): Buffer[] {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    return [Buffer.from(secret), Buffer.from(secret.slice('whsec_'.length)), key, Buffer.from(key.toString('hex')), Buffer.from(Buffer.from(secret).toString('hex'))];
  }

  it('keeps no signing secret in clear in the database, and signs with them still, across a rotation', async () => {
    const { id, secret: first } = await subscribe(admin);
    const rotated = await hub.query(ROTATE, { id }, admin);
    expect(rotated.errors).toBeUndefined();
    const second = rotated.data.rotateWebhookSecret.secret;
    await recorded([event()]);
    await receiver.waitFor((r) => r.received.length === 1);
    const [message] = receiver.received;
    const headers = { 'webhook-id': message.id, 'webhook-timestamp': message.timestamp, 'webhook-signature': message.signature };
    for (const secret of [first, second]) expect(() => new Webhook(secret).verify(message.body, headers)).not.toThrow();
    const bytes = await dump();
    expect(bytes.includes(Buffer.from(id))).toBe(true);
    for (const secret of [first, second]) for (const form of formsOf(secret)) expect(bytes.includes(form)).toBe(false);
    const [row] = await rows('select secret_key_id, length(secret_sealed) as length from webhooks.subscription where id = $1', [id]);
    expect(row).toEqual({ secret_key_id: new WebhookSecretKeyring(hub.serviceConfig.webhooks.secretKeys).currentKeyId, length: 1 + 12 + 16 + first.length });
  });

  it('moves every secret to a new WEBHOOK_SECRET_KEY at the start that names the old one as previous, and refuses one that cannot open them', async () => {
    const { id, secret } = await subscribe(admin);
    const old = hub.serviceConfig.webhooks.secretKeys;
    const fresh = { current: newKey(), previous: [old.current] };
    await hub.withSubgraphDown('webhooks', async () => {
      // Without the key the rows are sealed under, nothing could be signed: the start stops.
      const orm = await openDatabase({ clientUrl: hub.databases.urls.webhooks, schema: 'webhooks', entities: webhooksEntities, migrations: webhooksMigrations(new WebhookSecretKeyring(fresh)), poolMax: 1 });
      try {
        await expect(resealSigningSecrets(orm.em.fork(), new WebhookSecretKeyring({ current: newKey(), previous: [] }))).rejects.toThrow(/neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_KEY_PREVIOUS/);
      } finally {
        await orm.close();
      }
      hub.serviceConfig.webhooks.secretKeys = fresh;
    });
    const keyIds = await rows('select distinct secret_key_id from webhooks.subscription');
    expect(keyIds).toEqual([{ secret_key_id: new WebhookSecretKeyring(fresh).currentKeyId }]);
    await recorded([event()]);
    await receiver.waitFor((r) => r.received.length === 1);
    const [message] = receiver.received;
    expect(new Webhook(secret).verify(message.body, { 'webhook-id': message.id, 'webhook-timestamp': message.timestamp, 'webhook-signature': message.signature })).toMatchObject({ type: 'complaint.assigned' });
    expect((await hub.query(ROTATE, { id }, admin)).errors).toBeUndefined();
    for (const form of formsOf(secret)) expect((await dump()).includes(form)).toBe(false);
  });

  it('seals the secrets stored in clear before, when the migration runs', async () => {
    const databases = await createTestDatabases();
    try {
      const keys = { current: newKey(), previous: [] };
      const migrations = webhooksMigrations(new WebhookSecretKeyring(keys));
      const before = await openDatabase({ clientUrl: databases.urls.webhooks, schema: 'webhooks', entities: [], migrations: migrations.slice(0, 2), poolMax: 1 });
      const id = randomUUID();
      const [current, previous] = [`whsec_${randomBytes(32).toString('base64')}`, `whsec_${randomBytes(32).toString('base64')}`];
      await before.em.getConnection().execute(
        `insert into webhooks.subscription (id, agency_id, url, events, secret, previous_secret, inspectorate, created_by, created_by_role, created_at)
         values (?, ?, 'https://example.org/hook', '{COMPLAINT_ASSIGNED}', ?, ?, false, 'test', 'AGENCY_ADMIN', now())`,
        [id, REGENCY, current, previous],
      );
      await before.close();
      const after = await openDatabase({ clientUrl: databases.urls.webhooks, schema: 'webhooks', entities: webhooksEntities, migrations, poolMax: 1 });
      try {
        const [row] = await after.em.getConnection().execute(`select * from webhooks.subscription where id = ?`, [id]);
        expect(Object.keys(row)).not.toContain('secret');
        expect(new WebhookSecretKeyring(keys).open(id, { keyId: row.secret_key_id, current: row.secret_sealed, previous: row.previous_secret_sealed })).toEqual({ current, previous });
      } finally {
        await after.close();
      }
    } finally {
      await databases.drop();
    }
  });

  it('is required in production', () => {
    expect(() => webhookSecretKeys({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRET_KEY must be set/);
    expect(webhookSecretKeys({ NODE_ENV: 'production', WEBHOOK_SECRET_KEY: 'y'.repeat(43), WEBHOOK_SECRET_KEY_PREVIOUS: 'a, b' }).previous).toHaveLength(2);
  });
});

describe('replicas', () => {
  it('send each delivery once between them (claimed with FOR UPDATE SKIP LOCKED)', async () => {
    const replicas = await Promise.all([extraService(), extraService()]);
    try {
      await subscribe(admin);
      receiver.answer = () => ({ status: 200, delayMs: 20 });
      const events = Array.from({ length: 30 }, () => event());
      // Recorded through all three, so that each kicks its own worker at once.
      await Promise.all([
        recorded(events.slice(0, 10)),
        ...replicas.map((replica, index) => replica.query(RECORD, { input: { events: events.slice(10 * (index + 1), 10 * (index + 2)) } }, COMPLAINTS)),
      ]);
      await receiver.waitFor((r) => r.unique().length === 30);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.received).toHaveLength(30);
    } finally {
      await Promise.all(replicas.map((replica) => replica.service.stop()));
    }
  });
});

describe('deliveries lists', () => {
  it('cost the same statements for 2 subscriptions as for 6 (no N+1)', async () => {
    const counts: number[] = [];
    for (const size of [2, 6]) {
      await hub.sql('webhooks', 'delete from webhooks.subscription');
      for (let i = 0; i < size; i++) await subscribe(admin);
      await recorded([event(), event()]);
      await waitUntil(async () => (await rows(`select count(*)::int as n from webhooks.delivery where status = 'PENDING'`))[0].n === 0);
      await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
      hub.sqlCounter.reset();
      const { data, errors } = await hub.query(SUBSCRIPTIONS, { id: REGENCY }, admin);
      expect(errors).toBeUndefined();
      expect(data.agency.webhookSubscriptions).toHaveLength(size);
      for (const subscription of data.agency.webhookSubscriptions) expect(subscription.deliveries.totalCount).toBe(2);
      counts.push(hub.sqlCounter.count('webhooks'));
    }
    // The subscriptions, one page of deliveries for all of them, one count for all of them.
    expect(counts).toEqual([3, 3]);
  });
});
