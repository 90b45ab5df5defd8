import './env';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  authSecretsFromEnv,
  GATEWAY_CREDENTIAL_HEADER,
  readCommittedSupergraph,
  signGatewayCredential,
  signUserToken,
  type AuthSecrets,
  type ServiceHandle,
  type SubgraphName,
  type Viewer,
} from '@lapor-hub/lib';
import {
  BENCH_SUBMISSION_PREFIX,
  DATASET_VERSION,
  DEFAULT_DATABASE_URL,
  formatInt,
  NATIONAL_ID,
  parseArgs,
  readMeta,
  withClient,
  type DatasetMeta,
} from './common';
import { generate } from './generate';
import { OneTimeCredentials } from './one-time-credentials';

/**
 * `npm run bench -- [--complaints 10000] [--duration 10] [--hive] [--database-url …]`
 *
 * Generates the nation if the database is missing or holds another number of complaints, then:
 *   1. the SQL statements one inbox request costs at page sizes 10, 50, 100 (services in this
 *      process, counting every statement each subgraph sends), and the raw SQL of one page of 50
 *      under pgbench;
 *   2. starts the hub as child processes (one per service, as deployed) and loads it with
 *      autocannon: the agency inbox through the gateway and straight at the complaints subgraph,
 *      optionally through Hive Gateway on the same subgraphs, the national dashboard, and
 *      submissions (then counts the rows: none may be lost);
 *   3. peak RSS (VmHWM) of every child process.
 * Prints a table and writes bench/results/<ISO date>.json.
 */

const ROOT = path.resolve(__dirname, '..');

const INBOX_QUERY = `query Inbox($id: ID!) { agency(id: $id) { assignedComplaints(first: 50) { totalCount edges { node {
  id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { name parent { name } } escalations { id reason status } } } } } }`;

/** The inbox query's complaints part, as the gateway sends it to the complaints subgraph. */
const DIRECT_INBOX_QUERY = `query Inbox($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency {
  assignedComplaints(first: 50) { totalCount edges { node { id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { id } } } } } } }`;

const pagedInboxQuery = (first: number) => INBOX_QUERY.replace('first: 50', `first: ${first}`);

const DASHBOARD_QUERY = `query Dashboard($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
  stats { total forwarded closed completionRate closedByReporter closedBySystem overdue { verification followUp } disputed disputes
          medianWorkingDaysToFollowUp byStatus { status count } escalationsReceived overdueEscalationResponses }
  provinces { rank forwarded closed completionRate agency { id name } }
  regenciesAndCities { rank forwarded closed completionRate agency { id name } }
  ministries { rank forwarded closed completionRate agency { id name } } } }`;

const SUBMIT_MUTATION = `mutation Submit($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
  reporterToken complaint { id trackingId status verifyDueAt addressedAgency { name } } } }`;

interface Options {
  complaints: number;
  duration: number;
  connections: number;
  dashboardConnections: number;
  hive: boolean;
  databaseUrl: string;
  seed: number;
}

interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  latencyMs: LatencyFigures;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  /** 2xx responses whose body failed the check (GraphQL errors, missing data). */
  badBodies: number;
  /** The first few failed bodies and non-2xx statuses, to tell what went wrong. */
  samples?: string[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentiles(samples: number[]): LatencyFigures {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { p50: round(at(0.5), 2), p95: round(at(0.95), 2), p99: round(at(0.99), 2), mean: round(mean, 2), max: round(sorted[sorted.length - 1], 2) };
}

// ---------------------------------------------------------------------------------------------
// Load generation

interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request's body (per connection `context`). */
  setupBody?: (context: Record<string, unknown>) => string;
  /** Judges a 2xx body; false counts as a bad body. */
  check?: (body: string, context: Record<string, unknown>) => boolean;
  /** Headers of one request (e.g. a one-time gateway credential), added to `headers`. */
  requestHeaders?: () => Record<string, string>;
}

async function load(spec: LoadSpec): Promise<LoadFigures> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let badBodies = 0;
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const started = Date.now();
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    // Slow answers are latencies to report, not errors (autocannon's default gives up at 10 s).
    timeout: 60,
    method: 'POST',
    headers,
    body: spec.body,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const ctx = context as Record<string, unknown>;
          return {
            ...request,
            headers: spec.requestHeaders ? { ...headers, ...spec.requestHeaders() } : headers,
            body: spec.setupBody ? spec.setupBody(ctx) : spec.body,
          };
        },
        onResponse: (status, body, context) => {
          const ok = status >= 200 && status < 300;
          const bad = ok && spec.check && !spec.check(body, context as Record<string, unknown>);
          if (bad) badBodies++;
          if ((bad || !ok) && samples.length < 3) samples.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await done;
  const seconds = (Date.now() - started) / 1000;
  return {
    connections: spec.connections,
    seconds: round(seconds, 1),
    requests: result.requests.total,
    rps: round(result.requests.total / spec.seconds, 1),
    latencyMs: percentiles(latencies),
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    badBodies,
    ...(samples.length > 0 ? { samples } : {}),
  };
}

/**
 * One client, one request after another, for at least `seconds` and at least `minRequests`
 * requests (at most two minutes): the latency of a request on an otherwise idle hub, even when it
 * is longer than the run.
 */
async function sequential(spec: LoadSpec, minRequests = 3): Promise<LoadFigures> {
  const latencies: number[] = [];
  let non2xx = 0;
  let badBodies = 0;
  let socketErrors = 0;
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const started = Date.now();
  while ((Date.now() - started < spec.seconds * 1000 || latencies.length < minRequests) && Date.now() - started < 120_000) {
    const before = performance.now();
    try {
      const response = await fetch(spec.url, { method: 'POST', headers: { ...headers, ...spec.requestHeaders?.() }, body: spec.body });
      const body = await response.text();
      latencies.push(performance.now() - before);
      if (!response.ok) non2xx++;
      else if (spec.check && !spec.check(body, {})) badBodies++;
    } catch {
      socketErrors++;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    connections: 1,
    seconds: round(seconds, 1),
    requests: latencies.length,
    rps: round(latencies.length / seconds, 1),
    latencyMs: percentiles(latencies),
    non2xx,
    socketErrors,
    timeouts: 0,
    badBodies,
  };
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

function assertNoErrors(label: string, response: any): void {
  if (response?.errors?.length || !response?.data) throw new Error(`${label} failed: ${JSON.stringify(response).slice(0, 500)}`);
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface Child {
  name: string;
  process: ChildProcess;
  url: string;
}

const children: Child[] = [];

function killChildren(): void {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
}
process.on('exit', killChildren);

async function spawnService(name: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'serve.ts'), name], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^LAPOR_BENCH_READY (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`)));
  });
  const handle = { name, process: child, url };
  children.push(handle);
  return handle;
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill('SIGTERM');
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
  await Promise.race([exited, timeout]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB, from /proc. */
function memoryOf(pid: number): { peakRssMiB: number; rssMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRssMiB: round(kib('VmHWM') / 1024), rssMiB: round(kib('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, seconds: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/**
 * Waits until the database runs no statement of ours: requests still queued when a load run
 * stops keep the services and PostgreSQL busy, and must not be counted against the next run.
 */
async function drain(url: string, maxSeconds = 180): Promise<number> {
  const started = Date.now();
  await withClient(url, async (client) => {
    while (Date.now() - started < maxSeconds * 1000) {
      const { rows } = await client.query(
        `select count(*)::int as active from pg_stat_activity where datname = current_database() and state <> 'idle' and pid <> pg_backend_pid()`,
      );
      if (rows[0].active === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  // The services may still be working off requests nobody waits for: wait until their processes
  // are (nearly) idle too.
  let quiet = 0;
  let previous = cpuSeconds();
  while (quiet < 2 && Date.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuSeconds();
    quiet = now - previous < 0.03 ? quiet + 1 : 0;
    previous = now;
  }
  return round((Date.now() - started) / 1000, 1);
}

/** CPU seconds used so far by every running child process. */
function cpuSeconds(): number {
  let total = 0;
  for (const child of children) {
    if (child.process.exitCode !== null || !child.process.pid) continue;
    try {
      const fields = readFileSync(`/proc/${child.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// The data set

async function ensureDataset(options: Options): Promise<{ meta: DatasetMeta; generatedNow: boolean }> {
  const meta = await readMeta(options.databaseUrl);
  if (meta && meta.complaints === options.complaints && meta.version === DATASET_VERSION) {
    // A run that died before cleaning up leaves its submissions: remove them, then count.
    await removeSubmissions(options.databaseUrl, BENCH_SUBMISSION_PREFIX);
    const count = await withClient(options.databaseUrl, async (client) => (await client.query('select count(*)::int as count from complaints.complaint')).rows[0].count);
    if (count === options.complaints) return { meta, generatedNow: false };
    log(`the database holds ${formatInt(count)} complaints, not ${formatInt(options.complaints)}: generating afresh`);
  } else {
    log(
      !meta
        ? 'no finished data set in the database: generating one'
        : meta.version !== DATASET_VERSION
          ? 'the data set was made by an older generator: generating afresh'
          : `the database holds a data set of ${formatInt(meta.complaints)} complaints: generating ${formatInt(options.complaints)} afresh`,
    );
  }
  const generated = await generate({ complaints: options.complaints, databaseUrl: options.databaseUrl, fresh: true, seed: options.seed, log });
  return { meta: generated, generatedNow: true };
}

/**
 * Deletes the complaints the run submitted (and their timeline, contact), so that the next run
 * measures the same data. The timeline is append-only by a trigger; this bench-only database
 * skips triggers for the cleanup of the timeline and contacts (session_replication_role = replica),
 * but not for the complaints: their triggers keep the dashboard's tallies.
 */
async function removeSubmissions(url: string, prefix: string): Promise<number> {
  return withClient(url, async (client) => {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    const ids = `select id from complaints.complaint where idempotency_key like $1`;
    const pattern = `${prefix.replace(/[%_\\]/g, '\\$&')}%`;
    await client.query(`delete from complaints.timeline_entry where complaint_id in (${ids})`, [pattern]);
    await client.query(`delete from complaints.reporter_contact where complaint_id in (${ids})`, [pattern]);
    await client.query('set local session_replication_role = origin');
    const deleted = await client.query(`delete from complaints.complaint where idempotency_key like $1`, [pattern]);
    await client.query('commit');
    return deleted.rowCount ?? 0;
  });
}

interface Facts {
  busyRegencyId: string;
  busyRegencyName: string;
  busyRegencyAssigned: number;
  regionCodes: string[];
  tableSizes: Record<string, string>;
}

async function readFacts(url: string): Promise<Facts> {
  return withClient(url, async (client) => {
    const busy = await client.query(
      `select c.assigned_agency_id as id, a.name, count(*)::int as count
       from complaints.complaint c join agencies.agency a on a.id = c.assigned_agency_id
       where a.kind in ('REGENCY', 'CITY') group by 1, 2 order by 3 desc, 1 limit 1`,
    );
    if (busy.rowCount === 0) throw new Error('no regency holds a complaint: generate a larger data set');
    const regions = await client.query(`select region_code from agencies.agency where kind in ('REGENCY', 'CITY') order by 1`);
    const sizes = await client.query(
      `select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where (n.nspname, c.relname) in (('complaints', 'complaint'), ('complaints', 'timeline_entry'), ('escalation', 'escalation'), ('agencies', 'agency'))`,
    );
    const database = await client.query(`select pg_size_pretty(pg_database_size(current_database())) as size`);
    return {
      busyRegencyId: busy.rows[0].id,
      busyRegencyName: busy.rows[0].name,
      busyRegencyAssigned: busy.rows[0].count,
      regionCodes: regions.rows.map((row: { region_code: string }) => row.region_code),
      tableSizes: { database: database.rows[0].size, ...Object.fromEntries(sizes.rows.map((row: { name: string; size: string }) => [row.name, row.size])) },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 4. SQL statements per inbox request (services in this process, with a statement counter)

interface SqlCountFigures {
  pageSize: number;
  edges: number;
  statements: Record<SubgraphName, number>;
  total: number;
}

async function countStatements(
  url: string,
  secrets: AuthSecrets,
  agencyId: string,
): Promise<{ pages: SqlCountFigures[]; page50Statements: Record<SubgraphName, string[]>; page50Bound: string[] }> {
  // Loaded here, not at the top: the runner's other parts need none of it in memory.
  const { startAgenciesService } = await import('@lapor-hub/agencies/src/server');
  const { startComplaintsService, reporterTokenSecretFromEnv } = await import('@lapor-hub/complaints/src/server');
  const { startEscalationService } = await import('@lapor-hub/escalation/src/server');
  const { startGateway } = await import('@lapor-hub/gateway/src/server');
  const statements: Record<SubgraphName, string[]> = { agencies: [], complaints: [], escalation: [] };
  let counting = false;
  const hook = (name: SubgraphName) => (sql: string) => {
    // The escalation service's outbox relay polls in the background; it is no request's cost.
    if (counting && !/outbox_event/.test(sql)) statements[name].push(sql);
  };
  // The same statements with their values, as the driver sends them, for the pgbench script (the
  // services' onQuery hook sees the SQL with placeholders only).
  const bound: { text: string; values: unknown[] }[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const originalQuery = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown];
    const text = typeof config === 'string' ? config : config?.text;
    // Transaction control is left out too: the outbox relay claims its events in a transaction.
    if (counting && typeof text === 'string' && !/outbox_event/.test(text) && !/^\s*(begin|commit|rollback)\b/i.test(text)) {
      bound.push({ text, values: (typeof config === 'object' && config?.values) || (Array.isArray(values) ? values : []) });
    }
    return originalQuery.apply(this, args);
  };
  const services: ServiceHandle[] = [];
  try {
    const agencies = await startAgenciesService({ databaseUrl: url, secrets, port: 0, onQuery: hook('agencies') });
    services.unshift(agencies);
    const complaints = await startComplaintsService({
      databaseUrl: url,
      secrets,
      port: 0,
      agenciesUrl: agencies.url,
      reporterTokenSecret: reporterTokenSecretFromEnv(),
      sweep: { mode: 'off' },
      onQuery: hook('complaints'),
    });
    services.unshift(complaints);
    const escalation = await startEscalationService({
      databaseUrl: url,
      secrets,
      port: 0,
      agenciesUrl: agencies.url,
      complaintsUrl: complaints.url,
      slaSweep: { mode: 'off' },
      onQuery: hook('escalation'),
    });
    services.unshift(escalation);
    const gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: { agencies: agencies.url, complaints: complaints.url, escalation: escalation.url },
      secrets,
      port: 0,
    });
    services.unshift(gateway);
    const token = await signUserToken({ sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId }, secrets.jwtSecret);
    const pages: SqlCountFigures[] = [];
    let page50Statements = statements;
    let page50Bound: string[] = [];
    for (const first of [10, 50, 100]) {
      const request = () => postJson(gateway.url, { query: pagedInboxQuery(first), variables: { id: agencyId } }, { authorization: `Bearer ${token}` });
      // Warm: the subgraphs' caches of the node tree (a minute) are filled as in steady state.
      assertNoErrors(`inbox page of ${first}`, await request());
      for (const name of Object.keys(statements) as SubgraphName[]) statements[name] = [];
      bound.length = 0;
      counting = true;
      const response = await request();
      counting = false;
      assertNoErrors(`inbox page of ${first}`, response);
      const counts = { agencies: statements.agencies.length, complaints: statements.complaints.length, escalation: statements.escalation.length };
      pages.push({ pageSize: first, edges: response.data.agency.assignedComplaints.edges.length, statements: counts, total: counts.agencies + counts.complaints + counts.escalation });
      if (first === 50) {
        page50Statements = { agencies: [...statements.agencies], complaints: [...statements.complaints], escalation: [...statements.escalation] };
        page50Bound = bound.map((statement) => inlineValues(statement.text, statement.values));
      }
    }
    return { pages, page50Statements, page50Bound };
  } finally {
    prototype.query = originalQuery;
    for (const service of services) await service.stop().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// pgbench: the raw SQL of one inbox page of 50

/** A statement with its `$n` parameters written in as SQL literals (for pgbench, which takes plain SQL). */
function inlineValues(text: string, values: unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
    if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
    return pg.escapeLiteral(String(value));
  };
  return text.replace(/\$(\d+)/g, (_whole, index: string) => literal(values[Number(index) - 1]));
}

interface PgbenchFigures {
  clients: number;
  seconds: number;
  statementsPerTransaction: number;
  tps: number;
  latencyMs: LatencyFigures;
  failed?: string;
}

async function runPgbench(url: string, all: string[], clients: number, seconds: number): Promise<PgbenchFigures | { skipped: string }> {
  const which = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  if (which.status !== 0) return { skipped: 'pgbench is not installed (Debian: postgresql-client)' };
  if (all.length === 0) return { skipped: 'no statements were captured' };
  const directory = mkdtempSync(path.join(os.tmpdir(), 'lapor-pgbench-'));
  try {
    const script = path.join(directory, 'inbox-page.sql');
    // One pgbench transaction = every statement the three subgraphs sent for one page, in order,
    // with the values they were sent with.
    writeFileSync(script, all.map((sql) => `${sql.replace(/\s+/g, ' ').trim().replace(/;$/, '')};`).join('\n') + '\n');
    const result = spawnSync(
      'pgbench',
      ['-n', '-c', String(clients), '-j', String(Math.min(clients, os.cpus().length)), '-T', String(seconds), '-f', script, '-l', `--log-prefix=${path.join(directory, 'log')}`, url],
      { encoding: 'utf8', timeout: (seconds + 60) * 1000 },
    );
    if (result.status !== 0) return { skipped: `pgbench failed: ${(result.stderr || result.stdout).slice(0, 500)}` };
    const latencies: number[] = [];
    for (const file of readdirSync(directory).filter((name) => name.startsWith('log'))) {
      for (const line of readFileSync(path.join(directory, file), 'utf8').split('\n')) {
        const fields = line.split(' ');
        if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
      }
    }
    const tps = Number(/tps = ([\d.]+)/.exec(result.stdout)?.[1] ?? NaN);
    return { clients, seconds, statementsPerTransaction: all.length, tps: round(tps, 1), latencyMs: percentiles(latencies) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Hive Gateway

async function startHive(subgraphs: Record<SubgraphName, string>, env: NodeJS.ProcessEnv): Promise<{ child: Child; directory: string }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'lapor-hive-'));
  const supergraph = readCommittedSupergraph().replace(
    /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
    (whole, name: string) => (name in subgraphs ? `@join__graph(name: "${name}", url: "${subgraphs[name as SubgraphName]}")` : whole),
  );
  const supergraphFile = path.join(directory, 'supergraph.graphql');
  writeFileSync(supergraphFile, supergraph);
  const port = await freePort();
  const bin = path.join(path.dirname(require.resolve('@graphql-hive/gateway')), 'bin.js');
  const child = spawn(
    process.execPath,
    [bin, 'supergraph', supergraphFile, '--port', String(port), '--host', '127.0.0.1', '--config-path', path.join(__dirname, 'hive', 'gateway.config.ts')],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const handle = { name: 'hive-gateway', process: child, url: `http://127.0.0.1:${port}/graphql` };
  children.push(handle);
  try {
    await waitFor(`http://127.0.0.1:${port}/readiness`, 60, child);
  } catch (error) {
    throw new Error(`Hive Gateway did not start: ${(error as Error).message}\n${output}`);
  }
  return { child: handle, directory };
}

/** The first place two JSON values differ, for the report. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
    if (difference) return difference;
  }
  return `${at}: differs`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    complaints: 'number',
    duration: 'number',
    connections: 'number',
    'dashboard-connections': 'number',
    hive: 'boolean',
    'database-url': 'string',
    seed: 'number',
  });
  const options: Options = {
    complaints: args.complaints ?? 10_000,
    duration: args.duration ?? 10,
    connections: args.connections ?? 50,
    dashboardConnections: args['dashboard-connections'] ?? 10,
    hive: args.hive ?? false,
    databaseUrl: args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    seed: args.seed ?? 1,
  };
  const runStarted = new Date();
  const loadBefore = round(os.loadavg()[0], 2);
  const secrets = authSecretsFromEnv();
  // The children get the same secrets as this process, whatever their source (env or development
  // values), and run in production mode as deployed (graphql-js skips its development checks there).
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const { reporterTokenSecretFromEnv } = await import('@lapor-hub/complaints/src/server');
  const { reporterContactSecretFromEnv } = await import('@lapor-hub/complaints/src/domain/contact-sealing');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: decode(secrets.jwtSecret),
    GATEWAY_SECRET: decode(secrets.gatewaySecret),
    REPORTER_TOKEN_SECRET: decode(reporterTokenSecretFromEnv()),
    REPORTER_CONTACT_KEY: decode(reporterContactSecretFromEnv()),
  };

  const { meta, generatedNow } = await ensureDataset(options);
  const facts = await readFacts(options.databaseUrl);
  log(`data set: ${formatInt(meta.complaints)} complaints (as of ${meta.asOf}); inbox of ${facts.busyRegencyName} (${facts.busyRegencyId}): ${formatInt(facts.busyRegencyAssigned)} assigned`);

  // 4. SQL statements per inbox request, and (1c) pgbench of the same SQL.
  log('counting SQL statements per inbox request (page sizes 10, 50, 100)');
  const sql = await countStatements(options.databaseUrl, secrets, facts.busyRegencyId);
  log(`pgbench: the SQL of one inbox page, ${options.connections} clients, ${options.duration} s`);
  const pgbench = await runPgbench(options.databaseUrl, sql.page50Bound, options.connections, options.duration);
  await drain(options.databaseUrl);

  // The hub as deployed: one process per service.
  log('starting the hub: agencies, complaints, escalation, gateway (one process each)');
  const agencies = await spawnService('agencies', childEnv);
  const complaints = await spawnService('complaints', { ...childEnv, AGENCIES_URL: agencies.url });
  const escalation = await spawnService('escalation', { ...childEnv, AGENCIES_URL: agencies.url, COMPLAINTS_URL: complaints.url });
  const gateway = await spawnService('gateway', {
    ...childEnv,
    AGENCIES_URL: agencies.url,
    COMPLAINTS_URL: complaints.url,
    ESCALATION_URL: escalation.url,
  });

  const adminToken = await signUserToken({ sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId: facts.busyRegencyId }, secrets.jwtSecret);
  const dashboardToken = await signUserToken({ sub: 'bench-dashboard', role: 'DASHBOARD', agencyId: NATIONAL_ID }, secrets.jwtSecret);
  const adminViewer: Viewer = { kind: 'officer', sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId: facts.busyRegencyId };
  const inboxBody = JSON.stringify({ query: INBOX_QUERY, variables: { id: facts.busyRegencyId } });
  const inboxHeaders = { authorization: `Bearer ${adminToken}` };
  const checkData = (body: string) => body.includes('"data"') && !body.includes('"errors"');

  const ours = await postJson(gateway.url, JSON.parse(inboxBody), inboxHeaders);
  assertNoErrors('inbox through the gateway', ours);
  const expectedEdges = Math.min(50, ours.data.agency.assignedComplaints.totalCount);
  if (ours.data.agency.assignedComplaints.edges.length !== expectedEdges) throw new Error('the inbox page is not full');

  const results: Record<string, unknown> = {};
  const drains: Record<string, number> = {};
  /** A load run, then the wait until its queued requests have left the database. */
  const measure = async (label: string, spec: LoadSpec) => {
    const figures = await load(spec);
    drains[label] = await drain(options.databaseUrl);
    if (drains[label] > 2) log(`  (the database was busy for ${drains[label]} s after the run)`);
    return figures;
  };
  const warm = (spec: LoadSpec) => measure('warm-up', { ...spec, seconds: Math.min(3, Math.max(1, Math.round(options.duration / 3))) });

  // 1a. The inbox through our gateway.
  const inboxSpec: LoadSpec = { url: gateway.url, connections: options.connections, seconds: options.duration, body: inboxBody, headers: inboxHeaders, check: checkData };
  log(`inbox through the gateway: ${options.connections} connections, ${options.duration} s`);
  await warm(inboxSpec);
  const single = async (label: string, spec: LoadSpec) => {
    const figures = await sequential({ ...spec, seconds: Math.min(3, options.duration) });
    drains[label] = await drain(options.databaseUrl);
    return figures;
  };
  const inboxGatewaySingle = await single('inbox, gateway, 1 connection', inboxSpec);
  const inboxGateway = await measure('inbox, gateway', inboxSpec);

  // 1d. Our gateway sending every identical query fetch itself (as Hive with deduplication off).
  log('starting a second gateway with in-flight deduplication off');
  const plainGateway = await spawnService('gateway', {
    ...childEnv,
    AGENCIES_URL: agencies.url,
    COMPLAINTS_URL: complaints.url,
    ESCALATION_URL: escalation.url,
    GATEWAY_DEDUPLICATE_INFLIGHT: 'false',
  });
  const plainSpec: LoadSpec = { ...inboxSpec, url: plainGateway.url };
  log(`inbox through our gateway, deduplication off: ${options.connections} connections, ${options.duration} s`);
  await warm(plainSpec);
  const inboxGatewayNoDeduplication = await measure('inbox, gateway, deduplication off', plainSpec);
  const plainGatewayMemory = memoryOf(plainGateway.process.pid!);
  await stopChild(plainGateway);

  // 1b. The complaints part of it, straight at the complaints subgraph.
  const directBody = JSON.stringify({ query: DIRECT_INBOX_QUERY, variables: { representations: [{ __typename: 'Agency', id: facts.busyRegencyId }] } });
  const credentials = await OneTimeCredentials.start(() => signGatewayCredential(adminViewer, secrets.gatewaySecret, directBody));
  const direct = await postJson(complaints.url, JSON.parse(directBody), { [GATEWAY_CREDENTIAL_HEADER]: credentials.take() });
  assertNoErrors('inbox straight at the complaints subgraph', direct);
  const directSpec: LoadSpec = {
    url: complaints.url,
    connections: options.connections,
    seconds: options.duration,
    body: directBody,
    requestHeaders: () => ({ [GATEWAY_CREDENTIAL_HEADER]: credentials.take() }),
    check: checkData,
  };
  log(`inbox straight at the complaints subgraph: ${options.connections} connections, ${options.duration} s`);
  await warm(directSpec);
  const inboxDirectSingle = await single('inbox, complaints subgraph, 1 connection', directSpec);
  const inboxDirect = await measure('inbox, complaints subgraph', directSpec);

  // 6. Hive Gateway on the same subgraphs: as it ships (it merges identical subgraph requests in
  // flight, which this load of one identical query favours), and with that off (the same work as ours).
  let hive: Record<string, unknown> | null = null;
  const hiveMemory: Record<string, unknown> = {};
  if (options.hive) {
    hive = { version: hiveVersion() };
    for (const deduplicate of [true, false]) {
      const mode = deduplicate ? 'default' : 'noDeduplication';
      log(`starting Hive Gateway on the same subgraphs (${deduplicate ? 'as shipped' : 'in-flight deduplication off'})`);
      let started: { child: Child; directory: string } | null = null;
      try {
        started = await startHive({ agencies: agencies.url, complaints: complaints.url, escalation: escalation.url }, {
          ...childEnv,
          HIVE_DEDUPLICATE_INFLIGHT: String(deduplicate),
        });
        const fromHive = await postJson(started.child.url, JSON.parse(inboxBody), inboxHeaders);
        const fromOurs = await postJson(gateway.url, JSON.parse(inboxBody), inboxHeaders);
        const difference = firstDifference(fromOurs, fromHive);
        log(`Hive's answer ${difference ? `differs from ours: ${difference}` : 'equals ours'}`);
        const hiveSpec: LoadSpec = { ...inboxSpec, url: started.child.url };
        log(`inbox through Hive Gateway: ${options.connections} connections, ${options.duration} s`);
        await warm(hiveSpec);
        const inbox = await measure(`inbox, Hive (${mode})`, hiveSpec);
        hive[mode] = { sameAnswer: difference === null, difference, inbox };
        hiveMemory[`hive-gateway (${mode})`] = memoryOf(started.child.process.pid!);
      } catch (error) {
        hive[mode] = { failed: (error as Error).message.slice(0, 2000) };
        log(`Hive Gateway run failed: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        if (started) {
          await stopChild(started.child);
          rmSync(started.directory, { recursive: true, force: true });
        }
      }
    }
  }

  // 2. The national dashboard for the last year.
  const to = new Date();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const dashboardBody = JSON.stringify({ query: DASHBOARD_QUERY, variables: { from: from.toISOString(), to: to.toISOString() } });
  const dashboardHeaders = { authorization: `Bearer ${dashboardToken}` };
  assertNoErrors('national dashboard', await postJson(gateway.url, JSON.parse(dashboardBody), dashboardHeaders));
  const dashboardSpec: LoadSpec = {
    url: gateway.url,
    connections: options.dashboardConnections,
    seconds: options.duration,
    body: dashboardBody,
    headers: dashboardHeaders,
    check: checkData,
  };
  log(`national dashboard: ${options.dashboardConnections} connections, ${options.duration} s`);
  await warm(dashboardSpec);
  const dashboardSingle = await single('dashboard, 1 connection', dashboardSpec);
  const dashboard = await measure('dashboard', dashboardSpec);

  // 3. Submissions: unique idempotency keys; every acknowledged one must be a row.
  const prefix = `${BENCH_SUBMISSION_PREFIX}${runStarted.getTime().toString(36)}-`;
  const acknowledged = new Set<string>();
  let sequence = 0;
  const submitBody = (key: string) =>
    JSON.stringify({
      query: SUBMIT_MUTATION,
      variables: {
        input: {
          type: 'COMPLAINT',
          channel: sequence % 3 === 0 ? 'SMS' : 'MOBILE',
          regionCode: facts.regionCodes[sequence % facts.regionCodes.length],
          categoryId: 'INFRASTRUCTURE',
          title: `Jalan rusak ${sequence}`,
          body: 'Jalan penghubung antardesa rusak dan berlubang sejak musim hujan; mohon segera diperbaiki.',
          reporter: { name: 'Warga Uji Beban', phone: '+628123456789' },
          idempotencyKey: key,
        },
      },
    });
  log(`submissions: ${options.connections} connections, ${options.duration} s`);
  const submitSpec: LoadSpec = {
    url: gateway.url,
    connections: options.connections,
    seconds: options.duration,
    setupBody: (context) => {
      const key = `${prefix}${++sequence}`;
      context.key = key;
      return submitBody(key);
    },
    check: (body, context) => {
      const ok = body.includes('"trackingId"') && !body.includes('"errors"');
      if (ok) acknowledged.add(context.key as string);
      return ok;
    },
  };
  // Requests cut off when the run stopped may still commit: the count waits until the database is idle.
  const submissions = await measure('submissions', submitSpec);
  const stored = await withClient(options.databaseUrl, async (client) => {
    const { rows } = await client.query(`select idempotency_key from complaints.complaint where idempotency_key like $1`, [`${prefix}%`]);
    return new Set(rows.map((row: { idempotency_key: string }) => row.idempotency_key));
  });
  const lost = [...acknowledged].filter((key) => !stored.has(key));
  const submissionFigures = {
    ...submissions,
    acknowledged: acknowledged.size,
    rows: stored.size,
    lost: lost.length,
    /** Rows whose response never arrived (requests cut off at the end of the run). */
    unacknowledgedRows: [...stored].filter((key) => !acknowledged.has(key)).length,
    acknowledgedPerSecond: round(acknowledged.size / options.duration, 1),
  };

  // 5. Peak RSS of each process, then stop them.
  const memory: Record<string, unknown> = {};
  for (const child of [gateway, agencies, complaints, escalation]) memory[child.name] = memoryOf(child.process.pid!);
  Object.assign(memory, { 'gateway (deduplication off)': plainGatewayMemory }, hiveMemory);
  for (const child of [...children].reverse()) await stopChild(child);
  const removed = await removeSubmissions(options.databaseUrl, prefix);
  log(`removed the ${formatInt(removed)} submitted complaints again`);

  Object.assign(results, {
    date: runStarted.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30), loadBefore, loadAfter: round(os.loadavg()[0], 2), node: process.version, postgres: await postgresVersion(options.databaseUrl) },
    options,
    dataset: { ...meta, generatedInThisRun: generatedNow, ...facts, regionCodes: undefined },
    inbox: {
      agencyId: facts.busyRegencyId,
      totalCount: ours.data.agency.assignedComplaints.totalCount,
      gateway: inboxGateway,
      gatewayNoDeduplication: inboxGatewayNoDeduplication,
      gatewaySingleConnection: inboxGatewaySingle,
      directComplaintsSubgraph: inboxDirect,
      directComplaintsSubgraphSingleConnection: inboxDirectSingle,
      pgbench,
      hive: (hive?.default as { inbox?: LoadFigures } | undefined)?.inbox ?? null,
      hiveNoDeduplication: (hive?.noDeduplication as { inbox?: LoadFigures } | undefined)?.inbox ?? null,
    },
    dashboard,
    dashboardSingleConnection: dashboardSingle,
    submissions: submissionFigures,
    sqlStatementsPerInboxRequest: sql.pages,
    sqlStatementsPage50: sql.page50Statements,
    pgbenchScript: sql.page50Bound,
    drainSeconds: drains,
    memory: { method: 'VmHWM (peak resident set) from /proc/<pid>/status of each child process at the end of the run', processes: memory },
    hive,
  });
  const targets = evaluateTargets(results);
  results.targets = targets;

  const directory = path.join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${runStarted.toISOString().replace(/:/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  printTable(results, targets);
  log(`\nwritten: ${path.relative(ROOT, file)}`);
}

function hiveVersion(): string | null {
  try {
    return JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@graphql-hive/gateway')), '..', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

async function postgresVersion(url: string): Promise<string> {
  return withClient(url, async (client) => (await client.query('show server_version')).rows[0].server_version);
}

interface Target {
  target: string;
  actual: string;
  met: boolean | null;
}

function evaluateTargets(results: any): Target[] {
  const inbox = results.inbox;
  const targets: Target[] = [];
  const gw: LoadFigures = inbox.gateway;
  targets.push({ target: `inbox p95 ≤ 50 ms at ${gw.connections} clients (gateway)`, actual: `${gw.latencyMs.p95} ms`, met: gw.latencyMs.p95 <= 50 && gw.non2xx + gw.badBodies === 0 });
  // The direct run cannot share identical fetches, so the gateway's cost is read without that too.
  const direct: LoadFigures = inbox.directComplaintsSubgraph;
  const plain: LoadFigures = inbox.gatewayNoDeduplication;
  const ratio = plain.latencyMs.p50 / direct.latencyMs.p50;
  const singleRatio = inbox.gatewaySingleConnection.latencyMs.p50 / inbox.directComplaintsSubgraphSingleConnection.latencyMs.p50;
  targets.push({
    target: 'gateway p50 ≤ 1.3 × direct complaints-subgraph p50 (gateway deduplication off)',
    actual: `${plain.latencyMs.p50} / ${direct.latencyMs.p50} ms = ${round(ratio, 2)}× at ${plain.connections} connections; one at a time ${round(singleRatio, 2)}×`,
    met: ratio <= 1.3,
  });
  const dashboard: LoadFigures = results.dashboard;
  targets.push({ target: 'dashboard p95 ≤ 200 ms', actual: `${dashboard.latencyMs.p95} ms`, met: dashboard.latencyMs.p95 <= 200 && dashboard.non2xx + dashboard.badBodies === 0 });
  const submissions = results.submissions;
  targets.push({
    target: '≥ 500 submissions/s, zero lost',
    actual: `${submissions.acknowledgedPerSecond}/s, ${submissions.acknowledged} acknowledged, ${submissions.rows} rows, ${submissions.lost} lost`,
    met: submissions.acknowledgedPerSecond >= 500 && submissions.lost === 0,
  });
  const pages: SqlCountFigures[] = results.sqlStatementsPerInboxRequest;
  const same = pages.every((page) => isDeepStrictEqual(page.statements, pages[0].statements));
  targets.push({
    target: 'SQL statements per inbox request identical at page sizes 10/50/100',
    actual: pages.map((page) => `${page.pageSize}: ${page.total}`).join(', '),
    met: same,
  });
  if (inbox.hive || inbox.hiveNoDeduplication) {
    const figures = [inbox.hiveNoDeduplication && `${inbox.hiveNoDeduplication.rps} (Hive, deduplication off)`, inbox.hive && `${inbox.hive.rps} (Hive as shipped)`].filter(Boolean);
    const best = Math.max(inbox.hive?.rps ?? 0, inbox.hiveNoDeduplication?.rps ?? 0);
    const plain: LoadFigures = inbox.gatewayNoDeduplication;
    const same = inbox.hiveNoDeduplication ? plain.rps >= inbox.hiveNoDeduplication.rps : null;
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's (both with deduplication off)", actual: `${plain.rps} vs ${figures.join(', ')} req/s`, met: same });
    if (inbox.hive) targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's (both as shipped: deduplication on)", actual: `${gw.rps} vs ${inbox.hive.rps} req/s`, met: gw.rps >= best });
  } else {
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's", actual: results.hive ? 'Hive run failed' : 'not run (--hive)', met: null });
  }
  return targets;
}

function printTable(results: any, targets: Target[]): void {
  const rows: string[][] = [['measurement', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors']];
  const add = (label: string, figures: LoadFigures | null | undefined) => {
    if (!figures) return;
    rows.push([label, String(figures.connections), String(figures.rps), String(figures.latencyMs.p50), String(figures.latencyMs.p95), String(figures.latencyMs.p99), String(figures.non2xx + figures.socketErrors + figures.timeouts + figures.badBodies)]);
  };
  add('inbox, gateway', results.inbox.gateway);
  add('inbox, gateway (dedup off)', results.inbox.gatewayNoDeduplication);
  add('inbox, gateway', results.inbox.gatewaySingleConnection);
  add('inbox, complaints subgraph only', results.inbox.directComplaintsSubgraph);
  add('inbox, complaints subgraph only', results.inbox.directComplaintsSubgraphSingleConnection);
  add('inbox, Hive Gateway (as shipped)', results.inbox.hive);
  add('inbox, Hive Gateway (dedup off)', results.inbox.hiveNoDeduplication);
  const pg = results.inbox.pgbench;
  if (pg && 'tps' in pg) rows.push([`inbox SQL, pgbench (${pg.statementsPerTransaction} statements)`, String(pg.clients), String(pg.tps), String(pg.latencyMs.p50), String(pg.latencyMs.p95), String(pg.latencyMs.p99), '0']);
  add('national dashboard, last year', results.dashboard);
  add('national dashboard, last year', results.dashboardSingleConnection);
  add('submitComplaint', results.submissions);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const out: string[] = [];
  out.push(`\nLAPOR! Hub benchmark — ${formatInt(results.dataset.complaints)} complaints, ${results.options.duration} s per run, ${results.machine.cpus} CPUs, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres}`);
  out.push(`inbox: ${results.dataset.busyRegencyName} (${results.inbox.agencyId}), ${formatInt(results.inbox.totalCount)} assigned complaints, page of 50`);
  out.push('');
  out.push(line(rows[0]));
  out.push(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) out.push(line(row));
  if (pg && 'skipped' in pg) out.push(`pgbench skipped: ${pg.skipped}`);
  const s = results.submissions;
  out.push('');
  out.push(`submissions: ${formatInt(s.acknowledged)} acknowledged (${s.acknowledgedPerSecond}/s), ${formatInt(s.rows)} rows stored, ${s.lost} lost, ${s.unacknowledgedRows} stored without an answer (cut off at the end)`);
  out.push(`SQL statements per inbox request (agencies/complaints/escalation): ${results.sqlStatementsPerInboxRequest.map((p: SqlCountFigures) => `page ${p.pageSize} (${p.edges} edges): ${p.statements.agencies}/${p.statements.complaints}/${p.statements.escalation}`).join('; ')}`);
  out.push(`peak RSS (VmHWM, MiB): ${Object.entries(results.memory.processes).map(([name, m]: [string, any]) => `${name} ${m?.peakRssMiB ?? '?'}`).join(', ')}`);
  if (results.hive) {
    for (const mode of ['default', 'noDeduplication']) {
      const run = results.hive[mode];
      if (!run) continue;
      out.push(`Hive Gateway ${results.hive.version} (${mode}): ${run.failed ? `failed (${String(run.failed).split('\n')[0]})` : `same answer as ours: ${run.sameAnswer ? 'yes' : `no (${run.difference})`}`}`);
    }
  }
  out.push(`load average (1 min) before/after: ${results.machine.loadBefore} / ${results.machine.loadAfter}`);
  out.push('');
  out.push('targets:');
  for (const target of targets) out.push(`  ${target.met === null ? '—' : target.met ? 'met   ' : 'MISSED'}  ${target.target}: ${target.actual}`);
  process.stdout.write(out.join('\n') + '\n');
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    killChildren();
    process.exit(1);
  },
);
