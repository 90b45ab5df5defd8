import { randomBytes } from 'node:crypto';
import { SUBGRAPH_NAMES } from '@lapor-hub/lib';
import { createTestDatabases, sql, type TestDatabases } from '../support/databases';
import { HubProcesses } from './support/hub-processes';

/**
 * Load with faults: citizens' submissions from many clients, each retried with its idempotency key
 * on any error or timeout (as an SMS gateway or an app does), while the complaints subgraph is
 * killed without warning and started again mid-run. Afterwards every submission exists exactly
 * once, with the tracking id its client was given, and its one SUBMIT timeline entry.
 */
const SUBMISSIONS = Number(process.env.FAULTS_SUBMISSIONS ?? 10_000);
const CLIENTS = 50;
const REQUEST_TIMEOUT_MS = 15_000;
const KILL_AT = [0.3, 0.65];

const SUBMIT = `mutation($input: SubmitComplaintInput!) {
  submitComplaint(input: $input) { reporterToken complaint { id trackingId } }
}`;
const REGIONS = ['52.06', '52.72', '32.73', '35.78', '11.71', '91.71'];
const CATEGORIES = ['INFRASTRUCTURE', 'HEALTH', 'EDUCATION_CULTURE', 'SOCIAL_ASSISTANCE'];

let databases: TestDatabases;
let hub: HubProcesses;
const runKey = randomBytes(4).toString('hex');

beforeAll(async () => {
  databases = await createTestDatabases();
  // One database for the whole hub, each service in its own schema, as `npm start` runs it.
  hub = await HubProcesses.start(databases.urls.complaints, { SUBMIT_RATE_LIMIT_PER_MINUTE: '0' });
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  await databases?.drop();
});

const idempotencyKeyOf = (index: number) => `${runKey}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

function submission(index: number) {
  const anonymous = index % 20 === 0;
  return {
    type: index % 5 === 0 ? 'ASPIRATION' : 'COMPLAINT',
    title: `Keluhan layanan nomor ${index}`,
    body: `Laporan warga nomor ${index}: jalan rusak di depan kantor desa belum diperbaiki.`,
    channel: (['WEB', 'SMS', 'MOBILE'] as const)[index % 3],
    regionCode: REGIONS[index % REGIONS.length],
    categoryId: CATEGORIES[index % CATEGORIES.length],
    anonymous,
    reporter: anonymous ? null : { name: `Pelapor ${index}`, phone: `0812${String(index).padStart(8, '0')}` },
    idempotencyKey: idempotencyKeyOf(index),
  };
}

interface Outcome {
  accepted: Map<string, { id: string; trackingId: string }>;
  failedAttempts: number;
  failureKinds: Map<string, number>;
}

// Refusals of the submission itself: retrying would not help, and would hide a broken test input.
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED']);

/** One attempt: the accepted complaint, or why it failed (a code, an HTTP status or a network error). */
async function attempt(index: number): Promise<{ id: string; trackingId: string } | { failure: string }> {
  try {
    const response = await fetch(hub.url('gateway'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SUBMIT, variables: { input: submission(index) } }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: { submitComplaint?: { complaint: { id: string; trackingId: string } } }; errors?: { extensions?: { code?: string } }[] };
    const complaint = body.data?.submitComplaint?.complaint;
    if (complaint && !body.errors) return complaint;
    const refusal = body.errors?.find((error) => FINAL_CODES.has(error.extensions?.code ?? ''));
    if (refusal) throw new Error(`submission ${index} refused: ${JSON.stringify(refusal)}`);
    return { failure: `${response.status} ${body.errors?.map((error) => error.extensions?.code).join(',')}` };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('submission ')) throw error;
    return { failure: error instanceof Error ? error.name : 'error' };
  }
}

async function load(onProgress: (accepted: number) => void): Promise<Outcome> {
  const outcome: Outcome = { accepted: new Map(), failedAttempts: 0, failureKinds: new Map() };
  let next = 0;
  const client = async () => {
    for (let index = next++; index < SUBMISSIONS; index = next++) {
      for (let retry = 0; ; retry++) {
        const result = await attempt(index);
        if (!('failure' in result)) {
          outcome.accepted.set(idempotencyKeyOf(index), result);
          onProgress(outcome.accepted.size);
          break;
        }
        outcome.failedAttempts++;
        outcome.failureKinds.set(result.failure, (outcome.failureKinds.get(result.failure) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** retry)));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return outcome;
}

it(`keeps each of ${SUBMISSIONS} retried submissions exactly once while the complaints subgraph is killed and restarted`, async () => {
  const pendingKills = KILL_AT.map((share) => Math.floor(share * SUBMISSIONS));
  let restarts: Promise<void> = Promise.resolve();
  const outcome = await load((accepted) => {
    if (pendingKills.length && accepted >= pendingKills[0]) {
      pendingKills.shift();
      restarts = restarts.then(async () => {
        await hub.kill('complaints');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await hub.startService('complaints');
      });
    }
  });
  await restarts;

  expect(outcome.accepted.size).toBe(SUBMISSIONS);
  // The kills hit requests in flight: without failures the test would prove nothing.
  expect(outcome.failedAttempts).toBeGreaterThan(0);
  console.log(`faults: ${outcome.failedAttempts} failed attempts retried`, Object.fromEntries(outcome.failureKinds));

  const rows = await sql<{ idempotency_key: string; id: string; tracking_id: string; submits: number; contacts: number; anonymous: boolean }>(
    databases.urls.complaints,
    `select c.idempotency_key, c.id, c.tracking_id, c.anonymous,
       (select count(*)::int from complaints.timeline_entry t where t.complaint_id = c.id and t.action = 'SUBMIT') as submits,
       (select count(*)::int from complaints.reporter_contact r where r.complaint_id = c.id) as contacts
     from complaints.complaint c where c.idempotency_key like $1`,
    [`${runKey}-%`],
  );
  expect(rows).toHaveLength(SUBMISSIONS);
  expect(new Set(rows.map((row) => row.idempotency_key)).size).toBe(SUBMISSIONS);
  expect(new Set(rows.map((row) => row.tracking_id)).size).toBe(SUBMISSIONS);
  // Each client holds the tracking id of the one row its key made, whichever attempt told it.
  const mismatched = rows.filter((row) => outcome.accepted.get(row.idempotency_key)?.trackingId !== row.tracking_id);
  expect(mismatched).toEqual([]);
  expect(rows.filter((row) => row.submits !== 1)).toEqual([]);
  expect(rows.filter((row) => row.contacts !== (row.anonymous ? 0 : 1))).toEqual([]);
  const [{ entries }] = await sql<{ entries: number }>(
    databases.urls.complaints,
    `select count(*)::int as entries from complaints.timeline_entry t join complaints.complaint c on c.id = t.complaint_id where c.idempotency_key like $1`,
    [`${runKey}-%`],
  );
  expect(entries).toBe(SUBMISSIONS);
}, 1_800_000);

it('stops every process of the hub cleanly on SIGTERM, within 10 s', async () => {
  const endings = await hub.stop();
  // Every process of the hub, each subgraph's and the gateway's, exits 0.
  expect(endings).toEqual(Object.fromEntries([...SUBGRAPH_NAMES, 'gateway'].map((name) => [name, 0])));
}, 60_000);
