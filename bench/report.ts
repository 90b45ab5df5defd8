import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { formatInt, round, withClient, type DatasetMeta } from './common';
import type { Facts } from './dataset';
import { hiveInbox, type HiveComparison } from './hive/compare';
import type { LoadFigures } from './load';
import { ROOT, type Memory } from './processes';
import type { RunOptions } from './scenarios/context';
import type { PgbenchResult } from './scenarios/inbox-sql';
import type { SubmissionFigures } from './scenarios/submissions';
import type { SqlCount, SqlCountFigures } from './sql-count';

/** The results of a run: the file `bench/results/<ISO date>.json`, the printed table and the targets. */

export interface Target {
  target: string;
  actual: string;
  met: boolean | null;
}

/** Every figure of a run; the keys, in this order, are the results file's format. */
export interface Results {
  date: string;
  machine: { cpus: number; cpuModel: string | undefined; memoryGiB: number; loadBefore: number; loadAfter: number; node: string; postgres: string };
  options: RunOptions;
  dataset: DatasetMeta & { generatedInThisRun: boolean } & Omit<Facts, 'regionCodes'>;
  inbox: {
    agencyId: string;
    totalCount: number;
    gateway: LoadFigures;
    gatewayNoDeduplication: LoadFigures;
    gatewaySingleConnection: LoadFigures;
    directComplaintsSubgraph: LoadFigures;
    directComplaintsSubgraphSingleConnection: LoadFigures;
    pgbench: PgbenchResult;
    hive: LoadFigures | null;
    hiveNoDeduplication: LoadFigures | null;
  };
  dashboard: LoadFigures;
  dashboardSingleConnection: LoadFigures;
  search: LoadFigures;
  searchSingleConnection: LoadFigures;
  submissions: SubmissionFigures;
  sqlStatementsPerInboxRequest: SqlCountFigures[];
  sqlStatementsPage50: SqlCount['page50Statements'];
  pgbenchScript: string[];
  drainSeconds: Record<string, number>;
  memory: { method: string; processes: Record<string, Memory | undefined> };
  hive: HiveComparison | null;
  targets: Target[];
}

/** The figures the scenarios measured, gathered into the results (the machine is read now, at the end). */
export async function resultsOf(run: {
  runStarted: Date;
  loadBefore: number;
  options: RunOptions;
  meta: DatasetMeta;
  generatedNow: boolean;
  facts: Facts;
  inbox: Omit<Results['inbox'], 'hive' | 'hiveNoDeduplication' | 'agencyId'>;
  dashboard: { single: LoadFigures; loaded: LoadFigures };
  search: { single: LoadFigures; loaded: LoadFigures };
  submissions: SubmissionFigures;
  sql: SqlCount;
  drains: Record<string, number>;
  memory: Record<string, Memory | undefined>;
  hive: HiveComparison | null;
}): Promise<Results> {
  const { options, facts, sql, hive } = run;
  const results: Omit<Results, 'targets'> = {
    date: run.runStarted.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: round(os.totalmem() / 2 ** 30),
      loadBefore: run.loadBefore,
      loadAfter: round(os.loadavg()[0], 2),
      node: process.version,
      postgres: await postgresVersion(options.databaseUrl),
    },
    options,
    // The region codes are the submissions' input, not a fact worth a line per region in the file.
    dataset: { ...run.meta, generatedInThisRun: run.generatedNow, ...facts, regionCodes: undefined } as Results['dataset'],
    inbox: {
      agencyId: facts.busyRegencyId,
      ...run.inbox,
      hive: hiveInbox(hive, 'default'),
      hiveNoDeduplication: hiveInbox(hive, 'noDeduplication'),
    },
    dashboard: run.dashboard.loaded,
    dashboardSingleConnection: run.dashboard.single,
    search: run.search.loaded,
    searchSingleConnection: run.search.single,
    submissions: run.submissions,
    sqlStatementsPerInboxRequest: sql.pages,
    sqlStatementsPage50: sql.page50Statements,
    pgbenchScript: sql.page50Bound,
    drainSeconds: run.drains,
    memory: { method: 'VmHWM (peak resident set) from /proc/<pid>/status of each child process at the end of the run', processes: run.memory },
    hive,
  };
  return { ...results, targets: evaluateTargets(results) };
}

async function postgresVersion(url: string): Promise<string> {
  return withClient(url, async (client) => (await client.query('show server_version')).rows[0].server_version);
}

/** Writes `bench/results/<ISO date of the run's start>.json`; returns its path. */
export function writeResults(results: Results): string {
  const directory = path.join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${results.date.replace(/:/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return path.relative(ROOT, file);
}

function evaluateTargets(results: Omit<Results, 'targets'>): Target[] {
  const inbox = results.inbox;
  const targets: Target[] = [];
  const gw = inbox.gateway;
  targets.push({ target: `inbox p95 ≤ 50 ms at ${gw.connections} clients (gateway)`, actual: `${gw.latencyMs.p95} ms`, met: gw.latencyMs.p95 <= 50 && gw.non2xx + gw.badBodies === 0 });
  // The direct run cannot share identical fetches, so the gateway's cost is read without that too.
  const direct = inbox.directComplaintsSubgraph;
  const plain = inbox.gatewayNoDeduplication;
  const ratio = plain.latencyMs.p50 / direct.latencyMs.p50;
  const singleRatio = inbox.gatewaySingleConnection.latencyMs.p50 / inbox.directComplaintsSubgraphSingleConnection.latencyMs.p50;
  targets.push({
    target: 'gateway p50 ≤ 1.3 × direct complaints-subgraph p50 (gateway deduplication off)',
    actual: `${plain.latencyMs.p50} / ${direct.latencyMs.p50} ms = ${round(ratio, 2)}× at ${plain.connections} connections; one at a time ${round(singleRatio, 2)}×`,
    met: ratio <= 1.3,
  });
  const dashboard = results.dashboard;
  targets.push({ target: 'dashboard p95 ≤ 200 ms', actual: `${dashboard.latencyMs.p95} ms`, met: dashboard.latencyMs.p95 <= 200 && dashboard.non2xx + dashboard.badBodies === 0 });
  const searched = results.search;
  targets.push({
    target: `search p95 ≤ 50 ms at ${searched.connections} clients`,
    actual: `${searched.latencyMs.p95} ms`,
    met: searched.latencyMs.p95 <= 50 && searched.non2xx + searched.badBodies === 0,
  });
  const submissions = results.submissions;
  targets.push({
    target: '≥ 500 submissions/s, zero lost',
    actual: `${submissions.acknowledgedPerSecond}/s, ${submissions.acknowledged} acknowledged, ${submissions.rows} rows, ${submissions.lost} lost`,
    met: submissions.acknowledgedPerSecond >= 500 && submissions.lost === 0,
  });
  const pages = results.sqlStatementsPerInboxRequest;
  const same = pages.every((page) => isDeepStrictEqual(page.statements, pages[0].statements));
  targets.push({
    target: 'SQL statements per inbox request identical at page sizes 10/50/100',
    actual: pages.map((page) => `${page.pageSize}: ${page.total}`).join(', '),
    met: same,
  });
  if (inbox.hive || inbox.hiveNoDeduplication) {
    const figures = [inbox.hiveNoDeduplication && `${inbox.hiveNoDeduplication.rps} (Hive, deduplication off)`, inbox.hive && `${inbox.hive.rps} (Hive as shipped)`].filter(Boolean);
    const best = Math.max(inbox.hive?.rps ?? 0, inbox.hiveNoDeduplication?.rps ?? 0);
    const same = inbox.hiveNoDeduplication ? plain.rps >= inbox.hiveNoDeduplication.rps : null;
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's (both with deduplication off)", actual: `${plain.rps} vs ${figures.join(', ')} req/s`, met: same });
    if (inbox.hive) targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's (both as shipped: deduplication on)", actual: `${gw.rps} vs ${inbox.hive.rps} req/s`, met: gw.rps >= best });
  } else {
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's", actual: results.hive ? 'Hive run failed' : 'not run (--hive)', met: null });
  }
  return targets;
}

/** The table of figures and the targets, on stdout. */
export function printTable(results: Results): void {
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
  if ('tps' in pg) rows.push([`inbox SQL, pgbench (${pg.statementsPerTransaction} statements)`, String(pg.clients), String(pg.tps), String(pg.latencyMs.p50), String(pg.latencyMs.p95), String(pg.latencyMs.p99), '0']);
  add('national dashboard, last year', results.dashboard);
  add('national dashboard, last year', results.dashboardSingleConnection);
  add('searchComplaints, national admin', results.search);
  add('searchComplaints, national admin', results.searchSingleConnection);
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
  if ('skipped' in pg) out.push(`pgbench skipped: ${pg.skipped}`);
  const s = results.submissions;
  out.push('');
  out.push(`submissions: ${formatInt(s.acknowledged)} acknowledged (${s.acknowledgedPerSecond}/s), ${formatInt(s.rows)} rows stored, ${s.lost} lost, ${s.unacknowledgedRows} stored without an answer (cut off at the end)`);
  out.push(`SQL statements per inbox request (agencies/complaints/escalation): ${results.sqlStatementsPerInboxRequest.map((p) => `page ${p.pageSize} (${p.edges} edges): ${p.statements.agencies}/${p.statements.complaints}/${p.statements.escalation}`).join('; ')}`);
  out.push(`peak RSS (VmHWM, MiB): ${Object.entries(results.memory.processes).map(([name, m]) => `${name} ${m?.peakRssMiB ?? '?'}`).join(', ')}`);
  if (results.hive) {
    for (const mode of ['default', 'noDeduplication'] as const) {
      const run = results.hive[mode];
      if (!run) continue;
      out.push(`Hive Gateway ${results.hive.version} (${mode}): ${'failed' in run ? `failed (${String(run.failed).split('\n')[0]})` : `same answer as ours: ${run.sameAnswer ? 'yes' : `no (${run.difference})`}`}`);
    }
  }
  out.push(`load average (1 min) before/after: ${results.machine.loadBefore} / ${results.machine.loadAfter}`);
  out.push('');
  out.push('targets:');
  for (const target of results.targets) out.push(`  ${target.met === null ? '—' : target.met ? 'met   ' : 'MISSED'}  ${target.target}: ${target.actual}`);
  process.stdout.write(out.join('\n') + '\n');
}
