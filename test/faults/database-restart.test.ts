import { signUserToken } from '@lapor-hub/lib';
import { sql } from '../support/databases';
import { HUB_SECRETS, HubProcesses, type ServiceName } from './support/hub-processes';
import { PrivatePostgres } from './support/private-postgres';

/**
 * The database crashes under load and comes back: while it is gone, requests fail with a coded
 * error that tells the caller to retry (never an internal error, SQL or a stack); the hub's
 * processes survive and serve again by themselves once it is back; and no state change is
 * half-applied: every complaint's status, version and timeline agree, and each step a client was
 * told succeeded is there exactly once.
 */
const COMPLAINTS = 150;
const SUBMISSIONS = 150;
const CLIENTS = 20;
const OUTAGE_MS = 4_000;
const REQUEST_TIMEOUT_MS = 30_000;
const STEPS = ['verify', 'forward', 'followUp'] as const;
type Step = (typeof STEPS)[number];
const STATUS_AFTER: Record<Step, string> = { verify: 'VERIFIED', forward: 'FORWARDED', followUp: 'FOLLOWED_UP' };
const STEP_MUTATION: Record<Step, string> = {
  verify: `mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { version status } } }`,
  forward: `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { version status } } }`,
  followUp: `mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { version status } } }`,
};
const SUBMIT = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id trackingId } } }`;
// What a caller may see while the database is gone: "try again", or "that part of the hub is down".
const RETRYABLE_CODES = new Set(['SERVICE_UNAVAILABLE', 'DOWNSTREAM_SERVICE_ERROR']);

let postgres: PrivatePostgres;
let outage: Promise<void> | undefined;
let hub: HubProcesses;
let officer: string;

interface Answer {
  status: number;
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const failures: { status: number; codes: string[]; messages: string[] }[] = [];
let timeouts = 0;

/** A request through the gateway; failures are recorded and returned as `undefined`. */
async function request(query: string, variables: Record<string, unknown>, token?: string): Promise<Answer | undefined> {
  try {
    const response = await fetch(hub.url('gateway'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const answer = { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    if (!answer.errors) return answer;
    failures.push({ status: answer.status, codes: answer.errors.map((error) => error.extensions?.code ?? ''), messages: answer.errors.map((error) => error.message) });
    return undefined;
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      timeouts++;
      return undefined;
    }
    if (error instanceof TypeError) return undefined; // the gateway itself unreachable: counted by the process check
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function submitted(key: string): Promise<{ id: string; trackingId: string }> {
  const input = {
    type: 'COMPLAINT',
    title: 'Lampu jalan padam',
    body: `Lampu penerangan jalan di Desa Sape padam sejak seminggu (${key}).`,
    channel: 'WEB',
    regionCode: '52.06',
    categoryId: 'INFRASTRUCTURE',
    reporter: { name: 'Siti', email: 'siti@example.id' },
    idempotencyKey: key,
  };
  for (let retry = 0; ; retry++) {
    const answer = await request(SUBMIT, { input });
    if (answer) return answer.data.submitComplaint.complaint;
    await pause(Math.min(1_000, 100 * 2 ** retry));
  }
}

async function current(id: string): Promise<{ version: number; status: string }> {
  for (let retry = 0; ; retry++) {
    const answer = await request(`query($id: ID!) { complaint(id: $id) { version status } }`, { id }, officer);
    if (answer) return answer.data.complaint;
    await pause(Math.min(1_000, 100 * 2 ** retry));
  }
}

/**
 * Moves a complaint through verification, forwarding and follow-up. After a failed step the client
 * does what a real one must: it reads the complaint again, since the step may have committed
 * before the answer was lost, and repeats the step only if it did not.
 */
async function handle(id: string, acknowledged: Map<string, Step[]>, onStep: () => void): Promise<void> {
  let { version, status } = await current(id);
  for (const step of STEPS) {
    const stepInput = { complaintId: id, version, ...(step === 'forward' ? { agencyId: 'region-52.06' } : step === 'followUp' ? { body: 'Lampu sudah diganti petugas.' } : {}) };
    for (let retry = 0; status !== STATUS_AFTER[step]; retry++) {
      const answer = await request(STEP_MUTATION[step], { input: { ...stepInput, version } }, officer);
      if (answer) {
        ({ version, status } = (Object.values(answer.data)[0] as { complaint: { version: number; status: string } }).complaint);
        acknowledged.set(id, [...(acknowledged.get(id) ?? []), step]);
        break;
      }
      await pause(Math.min(1_000, 100 * 2 ** retry));
      ({ version, status } = await current(id));
    }
    onStep();
  }
}

beforeAll(async () => {
  postgres = await PrivatePostgres.create();
  hub = await HubProcesses.start(postgres.url, { SUBMIT_RATE_LIMIT_PER_MINUTE: '0' });
  officer = await signUserToken({ sub: 'faults-admin', role: 'NATIONAL_ADMIN', agencyId: 'kemenpanrb-lapor' }, new TextEncoder().encode(HUB_SECRETS.JWT_SECRET));
}, 180_000);

afterAll(async () => {
  await outage?.catch(() => undefined);
  await hub?.stop();
  await postgres?.destroy();
});

it('fails with coded, retryable errors while the database is down, recovers by itself, and leaves no half-applied change', async () => {
  const complaints: string[] = [];
  for (let i = 0; i < COMPLAINTS; i++) complaints.push((await submitted(`5eed0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`)).id);
  failures.length = 0;

  const acknowledged = new Map<string, Step[]>();
  const totalSteps = COMPLAINTS * STEPS.length;
  let stepsDone = 0;
  const onStep = () => {
    stepsDone++;
    if (!outage && stepsDone >= totalSteps * 0.3) {
      outage = (async () => {
        postgres.crash();
        await pause(OUTAGE_MS);
        await postgres.start();
      })();
    }
  };
  const queue = [...complaints];
  const submissions = new Map<string, string>();
  let nextSubmission = 0;
  const officerClient = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) await handle(id, acknowledged, onStep);
  };
  const citizenClient = async () => {
    for (let i = nextSubmission++; i < SUBMISSIONS; i = nextSubmission++) {
      const key = `d8e57a47-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      submissions.set(key, (await submitted(key)).trackingId);
    }
  };
  await Promise.all([...Array.from({ length: CLIENTS }, officerClient), ...Array.from({ length: CLIENTS / 2 }, citizenClient)]);
  await outage;

  // The outage was seen, and only as coded, retryable errors without internals.
  const byCode = new Map<string, number>();
  for (const failure of failures) for (const code of failure.codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  console.log(`database restart: ${failures.length} failed requests retried`, Object.fromEntries(byCode));
  expect(failures.length).toBeGreaterThan(0);
  const unexpected = failures.filter((failure) => !failure.codes.every((code) => RETRYABLE_CODES.has(code)));
  if (unexpected.length) console.log(hub.recentOutput('complaints').split('\n').filter((line) => line.includes('"level":50')).join('\n'));
  expect(unexpected).toEqual([]);
  for (const failure of failures) {
    for (const message of failure.messages) expect(message).not.toMatch(/select|insert|update |ECONN|at .*\.ts|knex|pool|postgres/i);
  }
  expect(timeouts).toBe(0);
  // Nobody restarted anything: the same processes serve, and say so.
  for (const name of ['agencies', 'complaints', 'escalation', 'gateway'] as ServiceName[]) expect(hub.alive(name)).toBe(true);
  expect((await fetch(hub.url('gateway', '/health'))).status).toBe(200);

  const database = postgres.url;
  const states = await sql<{ id: string; status: string; version: number; actions: string[]; last_to_status: string; follow_ups: number }>(
    database,
    `select c.id, c.status, c.version,
       array(select t.action from complaints.timeline_entry t where t.complaint_id = c.id order by t.at, t.id) as actions,
       (select t.to_status from complaints.timeline_entry t where t.complaint_id = c.id order by t.at desc, t.id desc limit 1) as last_to_status,
       (select count(*)::int from complaints.follow_up f where f.complaint_id = c.id) as follow_ups
     from complaints.complaint c where c.id = any($1::uuid[])`,
    [complaints],
  );
  expect(states).toHaveLength(COMPLAINTS);
  for (const state of states) {
    expect(state).toEqual({
      id: state.id,
      status: 'FOLLOWED_UP',
      version: 4,
      actions: ['SUBMIT', 'VERIFY', 'FORWARD', 'FOLLOW_UP'],
      last_to_status: 'FOLLOWED_UP',
      follow_ups: 1,
    });
  }
  // A step the client was told succeeded is never one another attempt repeated.
  for (const steps of acknowledged.values()) expect(new Set(steps).size).toBe(steps.length);

  const rows = await sql<{ idempotency_key: string; tracking_id: string; submits: number }>(
    database,
    `select c.idempotency_key, c.tracking_id,
       (select count(*)::int from complaints.timeline_entry t where t.complaint_id = c.id) as submits
     from complaints.complaint c where c.idempotency_key like 'd8e57a47-%'`,
  );
  expect(rows).toHaveLength(SUBMISSIONS);
  expect(rows.filter((row) => submissions.get(row.idempotency_key) !== row.tracking_id || row.submits !== 1)).toEqual([]);
}, 600_000);
