import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuthSecrets } from '@lapor-hub/lib';
import { log, round } from '../common';
import { percentiles, type LatencyFigures } from '../load';
import { drain } from '../processes';
import { countStatements, type SqlCount } from '../sql-count';
import type { RunOptions } from './context';

/**
 * The database's share of the inbox, before the hub's processes start: the statements one inbox
 * request costs at page sizes 10, 50, 100 (`sql-count.ts`), then those of a page of 50, with
 * their values, as one pgbench transaction under `connections` clients; then the complaints
 * subgraph's share of them alone (the floor of the complaints-subgraph-only run). Each is run with
 * every statement prepared, as the subgraphs send theirs (lib/src/sql.ts): what the statements
 * cost, the targets' figure; and as plain text, parsed and planned every time, as the subgraphs
 * sent them before (the figure earlier runs compared with).
 */

/** pgbench's `-M`: each statement prepared once per client, or sent as text every time. */
export type PgbenchProtocol = 'prepared' | 'simple';

export interface PgbenchFigures {
  protocol: PgbenchProtocol;
  clients: number;
  seconds: number;
  statementsPerTransaction: number;
  tps: number;
  latencyMs: LatencyFigures;
  failed?: string;
}

export type PgbenchResult = PgbenchFigures | { skipped: string };

export interface InboxSqlFigures {
  sql: SqlCount;
  /** All the page's statements, prepared. */
  pgbench: PgbenchResult;
  /** The complaints subgraph's statements of the page alone, prepared. */
  pgbenchComplaints: PgbenchResult;
  /** The same two as plain text. */
  pgbenchSimple: PgbenchResult;
  pgbenchComplaintsSimple: PgbenchResult;
}

export async function inboxSql(options: RunOptions, secrets: AuthSecrets, agencyId: string): Promise<InboxSqlFigures> {
  log('counting SQL statements per inbox request (page sizes 10, 50, 100)');
  const sql = await countStatements(options.databaseUrl, secrets, agencyId);
  const run = async (what: string, statements: string[], protocol: PgbenchProtocol) => {
    log(`pgbench: ${what}, ${protocol}, ${options.connections} clients, ${options.duration} s`);
    const result = await runPgbench(options.databaseUrl, statements, protocol, options.connections, options.duration);
    await drain(options.databaseUrl);
    return result;
  };
  return {
    sql,
    pgbench: await run('the SQL of one inbox page', sql.page50Bound, 'prepared'),
    pgbenchComplaints: await run("the complaints subgraph's SQL of one inbox page", sql.page50BoundComplaints, 'prepared'),
    pgbenchSimple: await run('the SQL of one inbox page', sql.page50Bound, 'simple'),
    pgbenchComplaintsSimple: await run("the complaints subgraph's SQL of one inbox page", sql.page50BoundComplaints, 'simple'),
  };
}

async function runPgbench(url: string, all: string[], protocol: PgbenchProtocol, clients: number, seconds: number): Promise<PgbenchResult> {
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
      ['-n', '-M', protocol, '-c', String(clients), '-j', String(Math.min(clients, os.cpus().length)), '-T', String(seconds), '-f', script, '-l', `--log-prefix=${path.join(directory, 'log')}`, url],
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
    return { protocol, clients, seconds, statementsPerTransaction: all.length, tps: round(tps, 1), latencyMs: percentiles(latencies) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
