import autocannon from 'autocannon';
import { log, round } from './common';
import { drain } from './processes';

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
}

export interface LoadSpec {
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

/**
 * The measured runs of one benchmark: each is followed by the wait until its queued requests have
 * left the database and the hub's processes (recorded in `drains`, by label, for the results file).
 */
export class LoadRuns {
  readonly drains: Record<string, number> = {};

  constructor(
    private readonly databaseUrl: string,
    private readonly duration: number,
  ) {}

  /** A load run of `spec.connections` clients. */
  async measure(label: string, spec: LoadSpec): Promise<LoadFigures> {
    const figures = await load(spec);
    this.drains[label] = await drain(this.databaseUrl);
    if (this.drains[label] > 2) log(`  (the database was busy for ${this.drains[label]} s after the run)`);
    return figures;
  }

  /** An unmeasured run of up to 3 s that brings caches, pools and the JIT to steady state. */
  async warm(spec: LoadSpec): Promise<void> {
    await this.measure('warm-up', { ...spec, seconds: Math.min(3, Math.max(1, Math.round(this.duration / 3))) });
  }

  /** One request at a time, for up to 3 s. */
  async single(label: string, spec: LoadSpec): Promise<LoadFigures> {
    const figures = await sequential({ ...spec, seconds: Math.min(3, this.duration) });
    this.drains[label] = await drain(this.databaseUrl);
    return figures;
  }
}

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
