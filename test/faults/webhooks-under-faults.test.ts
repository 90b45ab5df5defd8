import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { signUserToken } from '@lapor-hub/lib';
import { createTestDatabases, sql, type TestDatabases } from '../support/databases';
import { WebhookReceiver, type ReceivedMessage } from '../support/webhook-receiver';
import { HUB_SECRETS, HubProcesses } from './support/hub-processes';

/**
 * Webhooks with faults: complaints submitted and walked to their close through the gateway while
 * the receiver (an agency system verifying every signature with `standardwebhooks`) is down for a
 * while, and the complaints and webhooks processes are killed without warning and started again.
 * Afterwards the receiver holds every event the database says was committed for the node: each
 * `webhook-id` at least once, after de-duplication exactly the expected set, in order per complaint.
 */
const COMPLAINTS = Number(process.env.FAULTS_WEBHOOK_COMPLAINTS ?? 300);
const CLIENTS = 12;
const REQUEST_TIMEOUT_MS = 15_000;
const REGENCY = 'region-52.06';
/** What the node hears of each complaint walked here, in order. */
const EXPECTED_TYPES = ['COMPLAINT_SUBMITTED', 'COMPLAINT_ASSIGNED', 'COMPLAINT_FOLLOWED_UP', 'COMPLAINT_REPLIED', 'COMPLAINT_CLOSED'];
/**
 * Shares of the walks done at which each fault starts. The outage lasts at least
 * `MIN_OUTAGE_MS` but is kept short: every failed attempt pushes the next one out exponentially
 * (15–30 s, then 30–60 s), and the test waits for the last retry.
 */
const FAULTS = { receiverDown: 0.2, killComplaints: 0.3, receiverBack: 0.45, killWebhooks: 0.6 };
const MIN_OUTAGE_MS = 6_000;

let databases: TestDatabases;
let hub: HubProcesses;
let receiver: WebhookReceiver;
let certificateDir: string;
const runKey = randomBytes(4).toString('hex');

beforeAll(async () => {
  // In production the hub sends to https receivers only: the receiver's own certificate, which the hub's processes trust.
  certificateDir = mkdtempSync(path.join(os.tmpdir(), 'lapor-faults-tls-'));
  const [key, cert] = [path.join(certificateDir, 'key.pem'), path.join(certificateDir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  receiver = await WebhookReceiver.start({ key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') });
  databases = await createTestDatabases();
  hub = await HubProcesses.start(databases.urls.complaints, { SUBMIT_RATE_LIMIT_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', NODE_EXTRA_CA_CERTS: cert });
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await receiver?.stop();
  await databases?.drop();
  if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
});

const token = (role: 'NATIONAL_ADMIN' | 'AGENCY_ADMIN', agencyId: string) =>
  signUserToken({ sub: `faults-${role.toLowerCase()}`, role, agencyId }, new TextEncoder().encode(HUB_SECRETS.JWT_SECRET));

// Refusals that retrying would not cure, and that would hide a broken test input.
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED']);

/** One request through the gateway: its data, or null after a failure worth retrying (a killed process, a timeout, a stale version). */
async function gql(query: string, variables: Record<string, unknown>, bearer?: string): Promise<any | null> {
  try {
    const response = await fetch(hub.url('gateway'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    const refusal = body.errors?.find((error) => FINAL_CODES.has(error.extensions?.code ?? ''));
    if (refusal) throw new Error(`refused: ${JSON.stringify(refusal)}`);
    return body.errors ? null : body.data;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('refused')) throw error;
    return null;
  }
}

async function retrying<T>(attempt: (retry: number) => Promise<T | null>): Promise<T> {
  for (let retry = 0; ; retry++) {
    const result = await attempt(retry);
    if (result !== null) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** retry)));
  }
}

const SUBMIT = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { id trackingId } } }`;
const READ = `query($id: ID!) { complaint(id: $id) { status version } }`;
const STATUS_RANK = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED'];

/** Submits complaint `index` and walks it to its close; each step retried until the complaint shows it taken (a lost answer may hide a committed step). */
async function walk(index: number, national: string): Promise<void> {
  const submitted = await retrying(() =>
    gql(SUBMIT, {
      input: {
        type: 'COMPLAINT',
        title: `Lampu jalan padam nomor ${index}`,
        body: `Lampu penerangan jalan di dusun nomor ${index} padam sejak sepekan.`,
        channel: 'WEB',
        regionCode: '52.06',
        categoryId: 'INFRASTRUCTURE',
        anonymous: index % 3 === 0,
        reporter: { name: `Pelapor ${index}` },
        idempotencyKey: `${runKey}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
      },
    }),
  );
  const { id, trackingId } = submitted.submitComplaint.complaint;
  const steps: { reaches: string; mutation: string; input: (version: number) => Record<string, unknown>; bearer?: string }[] = [
    { reaches: 'VERIFIED', mutation: `mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { version } } }`, input: (version) => ({ complaintId: id, version }), bearer: national },
    {
      reaches: 'FORWARDED',
      mutation: `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { version } } }`,
      input: (version) => ({ complaintId: id, version, agencyId: REGENCY }),
      bearer: national,
    },
    {
      reaches: 'FOLLOWED_UP',
      mutation: `mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { version } } }`,
      input: (version) => ({ complaintId: id, version, body: 'Lampu sudah diganti.' }),
      bearer: national,
    },
    {
      reaches: 'CLOSED',
      mutation: `mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { version } } }`,
      input: () => ({ trackingId, reporterToken: submitted.submitComplaint.reporterToken, body: 'Terima kasih', satisfied: true }),
    },
  ];
  let version = 1;
  for (const step of steps) {
    version = await retrying(async (retry) => {
      if (retry > 0) {
        const read = await gql(READ, { id }, national);
        if (!read) return null;
        if (STATUS_RANK.indexOf(read.complaint.status) >= STATUS_RANK.indexOf(step.reaches)) return read.complaint.version as number;
        version = read.complaint.version;
      }
      const done = await gql(step.mutation, { input: step.input(version) }, step.bearer);
      return done ? (Object.values(done)[0] as { complaint: { version: number } }).complaint.version : null;
    });
  }
}

it(`delivers every event of ${COMPLAINTS} complaints exactly once after de-duplication, in order, through a receiver outage and killed processes`, async () => {
  const national = await token('NATIONAL_ADMIN', 'kemenpanrb-lapor');
  const subscribed = await gql(
    `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } } }`,
    { input: { agencyId: REGENCY, url: receiver.url, events: EXPECTED_TYPES } },
    await token('AGENCY_ADMIN', REGENCY),
  );
  expect(subscribed).not.toBeNull();
  receiver.secrets.push(subscribed.createWebhookSubscription.secret);
  const subscriptionId: string = subscribed.createWebhookSubscription.subscription.id;

  const started = Date.now();
  let faults: Promise<void> = Promise.resolve();
  let downSince = 0;
  const pending = Object.entries(FAULTS).sort(([, a], [, b]) => a - b);
  const onWalked = (walked: number) => {
    while (pending.length && walked >= pending[0][1] * COMPLAINTS) {
      const [fault] = pending.shift()!;
      faults = faults.then(async () => {
        if (fault === 'receiverDown') {
          await receiver.down();
          downSince = Date.now();
        }
        if (fault === 'receiverBack') {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, MIN_OUTAGE_MS - (Date.now() - downSince))));
          await receiver.listen();
        }
        if (fault === 'killComplaints' || fault === 'killWebhooks') {
          const service = fault === 'killComplaints' ? 'complaints' : 'webhooks';
          await hub.kill(service);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await hub.startService(service);
        }
      });
    }
  };
  let next = 0;
  let walked = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let index = next++; index < COMPLAINTS; index = next++) {
        await walk(index, national);
        onWalked(++walked);
      }
    }),
  );
  await faults;
  const walkedIn = Math.round((Date.now() - started) / 1000);
  expect(receiver.url).toMatch(/^https:/);

  // What was committed: the complaints and the events their outbox holds for them.
  const committed = await sql<{ id: string; type: string; complaint_id: string; timeline: number }>(
    databases.urls.complaints,
    `select o.id, o.type, o.complaint_id,
       (select count(*)::int from complaints.timeline_entry t where t.complaint_id = c.id) as timeline
     from complaints.hub_event_outbox o join complaints.complaint c on c.id = o.complaint_id
     where c.idempotency_key like $1 order by o.seq`,
    [`${runKey}-%`],
  );
  const expectedByComplaint = new Map<string, string[]>();
  for (const row of committed) expectedByComplaint.set(row.complaint_id, [...(expectedByComplaint.get(row.complaint_id) ?? []), row.type]);
  expect(expectedByComplaint.size).toBe(COMPLAINTS);
  expect([...expectedByComplaint.values()].filter((types) => types.join() !== EXPECTED_TYPES.join())).toEqual([]);
  // Submitted, verified, forwarded, followed up, replied: each step once, whatever was retried.
  expect(committed.filter((row) => row.timeline !== 5)).toEqual([]);
  const expectedIds = new Set(committed.map((row) => row.id));

  const ours = (message: ReceivedMessage) => expectedByComplaint.has(message.verified?.data.complaintId as string);
  await receiver.waitFor((r) => r.unique().filter(ours).length >= expectedIds.size, 240_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const deliveries = await sql<{ id: string; event_id: string; status: string; attempts: number }>(
    databases.urls.complaints,
    `select id, event_id, status, attempts from webhooks.delivery where subscription_id = $1`,
    [subscriptionId],
  );
  expect(deliveries).toHaveLength(expectedIds.size);
  expect(new Set(deliveries.map((delivery) => delivery.event_id))).toEqual(expectedIds);
  expect(deliveries.filter((delivery) => delivery.status !== 'DELIVERED')).toEqual([]);
  // The outage hit deliveries: without retries the test would prove nothing.
  const retried = deliveries.filter((delivery) => delivery.attempts > 1).length;
  expect(retried).toBeGreaterThan(0);

  // Every request carried a valid signature; after de-duplication by webhook-id, exactly one message per delivery.
  expect(receiver.received.filter((message) => message.verified === null)).toEqual([]);
  const unique = receiver.unique();
  expect(unique).toHaveLength(expectedIds.size);
  expect(new Set(unique.map((message) => message.id))).toEqual(new Set(deliveries.map((delivery) => delivery.id)));
  const arrivedByComplaint = new Map<string, string[]>();
  for (const message of unique) {
    const complaintId = message.verified!.data.complaintId as string;
    arrivedByComplaint.set(complaintId, [...(arrivedByComplaint.get(complaintId) ?? []), message.verified!.type]);
  }
  const inOrder = EXPECTED_TYPES.map((type) => type.toLowerCase().replace('_', '.')).join();
  expect([...arrivedByComplaint.entries()].filter(([, types]) => types.join() !== inOrder)).toEqual([]);
  console.log(
    `webhook faults: ${expectedIds.size} events (${retried} retried), ${receiver.received.length - unique.length} repeats dropped by webhook-id; walked in ${walkedIn} s, all delivered after ${Math.round((Date.now() - started) / 1000)} s`,
  );
}, 600_000);

it('stops every process cleanly on SIGTERM afterwards', async () => {
  const endings = await hub.stop();
  expect(Object.values(endings).every((ending) => ending === 0)).toBe(true);
}, 60_000);
