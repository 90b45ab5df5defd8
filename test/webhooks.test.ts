import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type ServiceHandle, type Viewer } from '@lapor-hub/lib';
import { startWebhooksService } from '@lapor-hub/webhooks/src/server';
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
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200 });
});

const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) { secret subscription { id url events active inspectorate description agency { id name } } } }`;
const CREATE_DIRECT = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } } }`;
const RECORD = `mutation($input: RecordHubEventsInput!) { recordHubEvents(input: $input) { recorded deliveries } }`;
const SUBSCRIPTIONS = `query($id: ID!, $status: WebhookDeliveryStatus) { agency(id: $id) { webhookSubscriptions {
  id active disabledReason inspectorate events
  deliveries(status: $status, first: 50) { totalCount edges { node { id event status attempts responseStatus lastAttemptAt nextAttemptAt } } } } } }`;

async function subscribe(
  token: string,
  input: Partial<{ agencyId: string; url: string; events: string[]; description: string }> = {},
): Promise<{ id: string; secret: string }> {
  const { data, errors } = await hub.query(CREATE, { input: { agencyId: REGENCY, url: receiver.url, events: ['COMPLAINT_ASSIGNED'], ...input } }, token);
  if (errors) throw new Error(JSON.stringify(errors));
  receiver.secrets.push(data.createWebhookSubscription.secret);
  return { id: data.createWebhookSubscription.subscription.id, secret: data.createWebhookSubscription.secret };
}

/** An event as the complaints service reports one: the regency holds the complaint, the province and the nation watch. */
function event(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  const complaintId = (overrides.complaintId as string) ?? randomUUID();
  return {
    id: randomUUID(),
    type: 'COMPLAINT_ASSIGNED',
    occurredAt: new Date().toISOString(),
    agencyIds: [REGENCY, PROVINCE, NATIONAL_ID],
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
    secrets: hub.secrets,
    agenciesUrl: hub.subgraphs.agencies.url,
    urlPolicy: { httpsOnly: false, allowPrivate: true },
    ...options,
  });
  return {
    service,
    query: async (query, variables, viewer) => {
      const credential = await signGatewayCredential(viewer, hub.secrets.gatewaySecret, graphQLBody(query, variables));
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
    await recorded([event({ type: 'COMPLAINT_FOLLOWED_UP' }), event({ agencyIds: [OTHER, PROVINCE, NATIONAL_ID] })]);
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
