import autocannon from 'autocannon';
import { databaseName, log, round } from './common';
import { CLOCK_TICKS, cpuTicksOf, drain, peakSinceReset, postgresBackends, resetPeak, runningChildren } from './processes';

/** Load runs (autocannon, or one request after another) and their figures. */

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadFigures {
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
  /** CPU time each process spent during the measured window (set by `LoadRuns`). */
  cpu?: CpuFigures;
  /** The peak resident set of each process during the run and the drain after it, MiB (set by `LoadRuns`). */
  peakRssMiB?: Record<string, number>;
}

/** The name under which the database's CPU is reported: its backends serving the benchmark's database. */
export const POSTGRES_CPU = 'postgres backends';

/** This process: the load generator (and the webhook receiver), on the same cores; not in `total`. */
export const RUNNER_CPU = 'runner (load generator)';

/**
 * CPU time from /proc (user + system) over one measured window, per process: milliseconds per
 * request (of the run's requests), and the cores it kept busy on average. `total` sums the hub's
 * processes and the database's backends.
 */
export interface CpuFigures {
  msPerRequest: Record<string, number>;
  cores: Record<string, number>;
}

/** CPU ticks of every running child (by name) and of every database backend (by pid, summed later). */
interface CpuSample {
  at: number;
  children: Map<string, number>;
  backends: Map<number, number>;
  runner: number;
}

function sampleCpu(database: string): CpuSample {
  const children = new Map<string, number>();
  for (const child of runningChildren()) {
    const ticks = cpuTicksOf(child.process.pid!);
    if (ticks !== null) children.set(child.name, ticks);
  }
  const backends = new Map<number, number>();
  for (const pid of postgresBackends(database)) {
    const ticks = cpuTicksOf(pid);
    if (ticks !== null) backends.set(pid, ticks);
  }
  return { at: performance.now(), children, backends, runner: cpuTicksOf(process.pid) ?? 0 };
}

/** What each process spent between two samples; a backend that connected meanwhile counts from zero. */
function cpuBetween(before: CpuSample, after: CpuSample, requests: number): CpuFigures {
  const spent = new Map<string, number>();
  for (const [name, ticks] of after.children) if (before.children.has(name)) spent.set(name, ticks - before.children.get(name)!);
  let database = 0;
  for (const [pid, ticks] of after.backends) database += ticks - (before.backends.get(pid) ?? 0);
  spent.set(POSTGRES_CPU, database);
  spent.set('total', [...spent.values()].reduce((sum, ticks) => sum + ticks, 0));
  spent.set(RUNNER_CPU, after.runner - before.runner);
  const seconds = (after.at - before.at) / 1000;
  const msPerRequest: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const [name, ticks] of spent) {
    const cpuSeconds = ticks / CLOCK_TICKS;
    msPerRequest[name] = requests > 0 ? round((cpuSeconds * 1000) / requests, 2) : NaN;
    cores[name] = round(cpuSeconds / seconds, 2);
  }
  return { msPerRequest, cores };
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Builds each request's body (per connection `context`). */
  setupBody?: (context: Record<string, unknown>) => string | Buffer;
  /** Judges a 2xx body; false counts as a bad body. */
  check?: (body: string, context: Record<string, unknown>) => boolean;
  /** Headers of one request (e.g. a one-time gateway credential), added to `headers`. */
  requestHeaders?: () => Record<string, string>;
}

export function percentiles(samples: number[]): LatencyFigures {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { p50: round(at(0.5), 2), p95: round(at(0.95), 2), p99: round(at(0.99), 2), mean: round(mean, 2), max: round(sorted[sorted.length - 1], 2) };
}

/** A GraphQL answer with data and no errors. */
export const checkData = (body: string) => body.includes('"data"') && !body.includes('"errors"');

/** `spec.connections` clients for `spec.seconds` (autocannon). */
export async function load(spec: LoadSpec): Promise<LoadFigures> {
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
export async function sequential(spec: LoadSpec, minRequests = 3): Promise<LoadFigures> {
  const latencies: number[] = [];
  let non2xx = 0;
  let badBodies = 0;
  let socketErrors = 0;
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const started = Date.now();
  while ((Date.now() - started < spec.seconds * 1000 || latencies.length < minRequests) && Date.now() - started < 120_000) {
    const before = performance.now();
    try {
      const response = await fetch(spec.url, { method: 'POST', headers: { ...headers, ...spec.requestHeaders?.() }, body: fetchBody(spec.setupBody ? spec.setupBody({}) : spec.body) });
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

/**
 * The measured runs of one benchmark: each is followed by the wait until its queued requests have
 * left the database and the hub's processes (recorded in `drains`, by label, for the results file).
 */
export class LoadRuns {
  readonly drains: Record<string, number> = {};

  /** Each process's highest peak resident set of all runs, and the run that reached it. */
  readonly peaks: Record<string, { label: string; peakRssMiB: number }> = {};

  private readonly database: string;

  constructor(
    private readonly databaseUrl: string,
    private readonly duration: number,
  ) {
    this.database = databaseName(databaseUrl);
  }

  /** A load run of `spec.connections` clients, with the CPU each process spent in it. */
  async measure(label: string, spec: LoadSpec): Promise<LoadFigures> {
    this.startPeaks();
    const before = sampleCpu(this.database);
    const figures = await load(spec);
    figures.cpu = cpuBetween(before, sampleCpu(this.database), figures.requests);
    this.drains[label] = await drain(this.databaseUrl);
    if (this.drains[label] > 2) log(`  (the database was busy for ${this.drains[label]} s after the run)`);
    figures.peakRssMiB = this.readPeaks(label);
    return figures;
  }

  /**
   * An unmeasured run of up to 3 s that brings caches, pools and the JIT to steady state, named
   * after the run it precedes (a process's peak can be reached in one).
   */
  async warm(before: string, spec: LoadSpec): Promise<void> {
    await this.measure(`warm-up of ${before}`, { ...spec, seconds: Math.min(3, Math.max(1, Math.round(this.duration / 3))) });
  }

  /** One request at a time, for up to 3 s. */
  async single(label: string, spec: LoadSpec): Promise<LoadFigures> {
    this.startPeaks();
    const before = sampleCpu(this.database);
    const figures = await sequential({ ...spec, seconds: Math.min(3, this.duration) });
    figures.cpu = cpuBetween(before, sampleCpu(this.database), figures.requests);
    this.drains[label] = await drain(this.databaseUrl);
    figures.peakRssMiB = this.readPeaks(label);
    return figures;
  }

  private startPeaks(): void {
    for (const child of runningChildren()) resetPeak(child.process.pid!);
  }

  /** The peak of each process since `startPeaks`, kept in `peaks` when it is the highest so far. */
  private readPeaks(label: string): Record<string, number> {
    const peaks: Record<string, number> = {};
    for (const child of runningChildren()) {
      const peak = peakSinceReset(child.process.pid!);
      if (peak === null) continue;
      peaks[child.name] = peak;
      if (peak > (this.peaks[child.name]?.peakRssMiB ?? 0)) this.peaks[child.name] = { label, peakRssMiB: peak };
    }
    return peaks;
  }
}

/** A body for fetch: bytes as a Blob (Node's types do not take a Buffer as a body). */
export const fetchBody = (body: string | Buffer | undefined) => (body === undefined || typeof body === 'string' ? body : new Blob([Uint8Array.from(body)]));

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

export function assertNoErrors(label: string, response: any): void {
  if (response?.errors?.length || !response?.data) throw new Error(`${label} failed: ${JSON.stringify(response).slice(0, 500)}`);
}
