import { Client } from 'pg';
import { withClient } from '../test/support/with-client';

// The one connection helper, shared with the tests; the bench's modules take it from here.
export { withClient };

/** Where the benchmark's nation lives unless `--database-url` says otherwise. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/lapor_bench';

/**
 * Submissions made by `bench/run.ts` carry idempotency keys (UUIDs, as the API requires) whose first
 * group is this (and are removed after counting).
 */
export const BENCH_SUBMISSION_PREFIX = 'be4c0000-';

/** What `generate` leaves in the database when it finished: the run checks it before reusing a database. */
export const META_TABLE = 'public.lapor_bench_meta';

export const NATIONAL_ID = 'kemenpanrb-lapor';

/** Bumped when the generator makes a different nation: a run regenerates an older data set. */
export const DATASET_VERSION = 4;

export interface DatasetMeta {
  version: number;
  complaints: number;
  seed: number;
  /** The instant the nation was generated "as of" (deadlines and overdue shares are relative to it). */
  asOf: string;
  generatedAt: string;
  seconds: number;
  units: number;
  escalations: number;
  timelineEntries: number;
}

/** `--name value`, `--name=value` and bare `--flag` options; unknown names are an error. */
export function parseArgs<T extends Record<string, 'string' | 'number' | 'boolean'>>(
  argv: string[],
  spec: T,
): Partial<{ [K in keyof T]: T[K] extends 'number' ? number : T[K] extends 'boolean' ? boolean : string }> {
  const result: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const type = spec[rawName];
    if (!type) throw new Error(`unknown option --${rawName}; known: ${Object.keys(spec).map((name) => `--${name}`).join(' ')}`);
    if (type === 'boolean') {
      result[rawName] = inline === undefined ? true : !/^(false|0|no)$/i.test(inline);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${rawName} needs a value`);
    if (type === 'number') {
      const number = Number(value.replace(/_/g, ''));
      if (!Number.isFinite(number)) throw new Error(`--${rawName} must be a number, got ${value}`);
      result[rawName] = number;
    } else {
      result[rawName] = value;
    }
  }
  return result as never;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The same server's maintenance database, to create or drop the benchmark's own. */
export function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

export async function databaseExists(url: string): Promise<boolean> {
  const name = databaseName(url);
  return withClient(maintenanceUrl(url), async (client) => (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** The generator's record of a finished data set, or null (no database, never finished, or older layout). */
export async function readMeta(url: string): Promise<DatasetMeta | null> {
  if (!(await databaseExists(url))) return null;
  return withClient(url, async (client) => {
    const exists = await client.query(`select to_regclass($1) as table`, [META_TABLE]);
    if (!exists.rows[0].table) return null;
    const { rows } = await client.query(`select value from ${META_TABLE} where key = 'dataset'`);
    return (rows[0]?.value as DatasetMeta | undefined) ?? null;
  });
}

/**
 * Holds the server-wide lock of one benchmark database for the life of a run or a generation, or
 * fails at once: two runs on one database break each other (each run's registry publishes its own
 * subgraph addresses into the shared registry schema, which the other run's gateway then follows,
 * and a generator truncates what the other reads). The lock lives in the maintenance database, so
 * it is held before the benchmark's database exists.
 */
export async function lockBenchDatabase(url: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  const { rows } = await client.query(`select pg_try_advisory_lock(hashtext('lapor-bench:' || $1::text)) as locked`, [databaseName(url)]);
  if (!rows[0].locked) {
    await client.end();
    throw new Error(`another benchmark run or generation is using ${databaseName(url)}: wait for it, or pass another --database-url (lapor_bench…)`);
  }
  return () => client.end();
}

/** Refuses anything but a `lapor_bench*` database: the generator drops and truncates. */
export function assertBenchDatabase(url: string): void {
  const name = databaseName(url);
  if (!/^lapor_bench\w*$/.test(name)) throw new Error(`the benchmark database must be named lapor_bench…, got ${name}`);
}

export const formatInt = (value: number) => Math.round(value).toLocaleString('en-US');

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A progress line on stderr (stdout carries the results table). */
export const log = (line: string) => process.stderr.write(`${line}\n`);
