import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { formatInt, round, withClient, type DatasetMeta } from './common';
import type { Facts } from './dataset';
import { hiveInbox, type HiveComparison } from './hive/compare';
import { POSTGRES_CPU, RUNNER_CPU, type LoadFigures } from './load';
import { ROOT, type Memory } from './processes';
import type { ProcessProfile } from './profile';
import type { UploadFigures } from './scenarios/attachments';
import type { RunOptions } from './scenarios/context';
import type { PgbenchResult } from './scenarios/inbox-sql';
import type { PlanFetchFigures } from './scenarios/plan-fetches';
import type { SubmissionFigures } from './scenarios/submissions';
import type { WebhookLagFigures } from './scenarios/webhook-lag';
import type { SqlCount, SqlCountFigures } from './sql-count';

/** The results of a run: the file `bench/results/<ISO date>.json`, the printed table and the targets. */

export interface Target {
  target: string;
  actual: string;
  met: boolean | null;
  /** The issue whose table lists the target (issue 17: performance toward the limit). */
  issue?: number;
}

/** The peak resident set every hub process must stay under (issue 17). */
export const PEAK_RSS_TARGET_MIB = 300;

/** Every figure of a run; the keys, in this order, are the results file's format. */
export interface Results {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string | undefined;
    memoryGiB: number;
    /** The 1-minute load average before and after the run. */
    loadBefore: number;
    loadAfter: number;
    /** The 1-, 5- and 15-minute load averages before and after the run. */
    loadAveragesBefore: number[];
    loadAveragesAfter: number[];
    node: string;
    postgres: string;
  };
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
    /** Every fetch of the gateway's plan straight at its subgraph, one at a time. */
    planFetches: PlanFetchFigures;
    /** All the page's statements, prepared (as the subgraphs send them). */
    pgbench: PgbenchResult;
    /** The complaints subgraph's statements of the page alone, prepared. */
    pgbenchComplaints: PgbenchResult;
    /** The same two sent as plain text, parsed and planned every time (as earlier runs measured). */
    pgbenchSimple: PgbenchResult;
    pgbenchComplaintsSimple: PgbenchResult;
    hive: LoadFigures | null;
    hiveNoDeduplication: LoadFigures | null;
    hiveRustPlannerNoDeduplication: LoadFigures | null;
  };
  dashboard: LoadFigures;
  dashboardSingleConnection: LoadFigures;
  search: LoadFigures;
  searchSingleConnection: LoadFigures;
  uploads: UploadFigures;
  submissions: SubmissionFigures;
  webhookLag: WebhookLagFigures;
  sqlStatementsPerInboxRequest: SqlCountFigures[];
  sqlStatementsPage50: SqlCount['page50Statements'];
  pgbenchScript: string[];
  drainSeconds: Record<string, number>;
  memory: { method: string; processes: Record<string, Memory | undefined> };
  hive: HiveComparison | null;
  /** `--profile`: where the CPU profiles are, and each process's top frames by self time. */
  profiles: { directory: string; processes: Record<string, ProcessProfile> } | null;
  targets: Target[];
}

/** The figures the scenarios measured, gathered into the results (the machine is read now, at the end). */
export async function resultsOf(run: {
  runStarted: Date;
  loadBefore: number[];
  options: RunOptions;
  meta: DatasetMeta;
  generatedNow: boolean;
  facts: Facts;
  inbox: Omit<Results['inbox'], 'hive' | 'hiveNoDeduplication' | 'hiveRustPlannerNoDeduplication' | 'agencyId'>;
  dashboard: { single: LoadFigures; loaded: LoadFigures };
  search: { single: LoadFigures; loaded: LoadFigures };
  uploads: UploadFigures;
  submissions: SubmissionFigures;
  webhookLag: WebhookLagFigures;
  sql: SqlCount;
  drains: Record<string, number>;
  memory: Record<string, Memory | undefined>;
  hive: HiveComparison | null;
  profiles: Results['profiles'];
}): Promise<Results> {
  const { options, facts, sql, hive } = run;
  const results: Omit<Results, 'targets'> = {
    date: run.runStarted.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: round(os.totalmem() / 2 ** 30),
      loadBefore: round(run.loadBefore[0], 2),
      loadAfter: round(os.loadavg()[0], 2),
      loadAveragesBefore: run.loadBefore.map((load) => round(load, 2)),
      loadAveragesAfter: os.loadavg().map((load) => round(load, 2)),
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
      hiveRustPlannerNoDeduplication: hiveInbox(hive, 'rustPlannerNoDeduplication'),
    },
    dashboard: run.dashboard.loaded,
    dashboardSingleConnection: run.dashboard.single,
    search: run.search.loaded,
    searchSingleConnection: run.search.single,
    uploads: run.uploads,
    submissions: run.submissions,
    webhookLag: run.webhookLag,
    sqlStatementsPerInboxRequest: sql.pages,
    sqlStatementsPage50: sql.page50Statements,
    pgbenchScript: sql.page50Bound,
    drainSeconds: run.drains,
    memory: { method: 'peak resident set (VmHWM from /proc/<pid>/status) of each child process over its life; each load run starts a new VmHWM (/proc/<pid>/clear_refs), and `during` names the run that reached the peak', processes: run.memory },
    hive,
    profiles: run.profiles,
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

/** The throughput of a pgbench run, or null when it was skipped. */
const tpsOf = (result: PgbenchResult) => ('tps' in result ? result.tps : null);

/** The hub's own processes (not Hive Gateway), whose peak RSS the target bounds. */
const isHubProcess = (name: string) => !name.startsWith('hive-gateway');

/** A CPU line: each process's milliseconds per request, those that spent next to nothing left out. */
function cpuLine(figures: LoadFigures | null | undefined): string {
  if (!figures?.cpu) return 'not measured';
  const entries = Object.entries(figures.cpu.msPerRequest).filter(([name, ms]) => ms >= 0.01 || name === 'total');
  return entries.map(([name, ms]) => `${name} ${ms}`).join(', ') + ' ms/request';
}

function evaluateTargets(results: Omit<Results, 'targets'>): Target[] {
  const inbox = results.inbox;
  const targets: Target[] = [];
  const gw = inbox.gateway;
  const direct = inbox.directComplaintsSubgraph;
  const plain = inbox.gatewayNoDeduplication;
  const ratioTarget = (issue: number, target: string, numerator: number, denominator: number | null, bound: { atLeast: number } | { atMost: number }, detail: string): Target => {
    if (denominator === null || !Number.isFinite(denominator) || denominator <= 0) return { issue, target, actual: `not measured (${detail})`, met: null };
    const ratio = numerator / denominator;
    const met = 'atLeast' in bound ? ratio >= bound.atLeast : ratio <= bound.atMost;
    return { issue, target, actual: `${round(ratio, 3)} (${detail})`, met };
  };

  // Issue 17's table, in its order.
  const pgComplaints = tpsOf(inbox.pgbenchComplaints);
  targets.push(
    ratioTarget(17, 'complaints subgraph alone, req/s ÷ pgbench tps of its own statements ≥ 0.5', direct.rps, pgComplaints, { atLeast: 0.5 }, `${direct.rps} req/s ÷ ${pgComplaints ?? '—'} tps`),
  );
  const pgAll = tpsOf(inbox.pgbench);
  targets.push(ratioTarget(17, 'federated inbox, dedup off, req/s ÷ pgbench tps of all its statements ≥ 0.2', plain.rps, pgAll, { atLeast: 0.2 }, `${plain.rps} req/s ÷ ${pgAll ?? '—'} tps`));
  const single = inbox.gatewaySingleConnection.latencyMs.p50;
  targets.push(
    ratioTarget(17, "gateway latency one at a time ÷ Σ of its plan's fetches sent directly one at a time ≤ 1.5", single, inbox.planFetches.sumP50Ms, { atMost: 1.5 }, `p50 ${single} ms ÷ ${inbox.planFetches.fetches.map((fetch) => `${fetch.subgraph} ${fetch.single.latencyMs.p50}`).join(' + ')} = ${inbox.planFetches.sumP50Ms} ms`),
  );
  const rust = inbox.hiveRustPlannerNoDeduplication;
  const rustRun = results.hive?.rustPlannerNoDeduplication;
  const rustTarget = 'our gateway ÷ Hive Gateway with its Rust query planner, dedup off, req/s ≥ 1.0';
  if (rust && rustRun && 'sameAnswer' in rustRun) {
    const compared = ratioTarget(17, rustTarget, plain.rps, rust.rps, { atLeast: 1 }, `${plain.rps} ÷ ${rust.rps} req/s, ${rustRun.queryPlanner} query planner`);
    // Throughput on different answers compares nothing.
    targets.push(rustRun.sameAnswer ? { ...compared, actual: `${compared.actual}; Hive's answer equals ours` } : { ...compared, actual: `${compared.actual}; Hive's answer differs from ours: ${rustRun.difference}`, met: null });
  }
  else targets.push({ issue: 17, target: rustTarget, actual: !results.hive ? 'not run (--hive)' : rustRun && 'notInstalled' in rustRun ? rustRun.notInstalled : rustRun && 'failed' in rustRun ? `failed: ${rustRun.failed.split('\n')[0]}` : 'not run', met: null });
  const submissions = results.submissions;
  targets.push({
    issue: 17,
    target: `≥ 500 submissions acknowledged/s at ${submissions.connections} clients, zero lost`,
    actual: `${submissions.acknowledgedPerSecond}/s, ${submissions.acknowledged} acknowledged, ${submissions.rows} rows, ${submissions.lost} lost`,
    met: submissions.acknowledgedPerSecond >= 500 && submissions.lost === 0,
  });
  const hubMemory = Object.entries(results.memory.processes).filter(([name]) => isHubProcess(name));
  const peak = Math.max(...hubMemory.map(([, memory]) => memory?.peakRssMiB ?? NaN));
  targets.push({
    issue: 17,
    target: `peak RSS of every hub process under the load ≤ ${PEAK_RSS_TARGET_MIB} MiB`,
    actual: hubMemory.map(([name, memory]) => `${name} ${memory?.peakRssMiB ?? '?'}`).join(', ') + ' MiB',
    met: Number.isFinite(peak) ? peak <= PEAK_RSS_TARGET_MIB : null,
  });
  targets.push({
    issue: 17,
    target: `inbox p95 ≤ 50 ms at ${gw.connections} clients (gateway; the target is at 1M complaints)`,
    actual: `${gw.latencyMs.p95} ms at ${formatInt(results.dataset.complaints)} complaints`,
    met: gw.latencyMs.p95 <= 50 && gw.non2xx + gw.badBodies === 0,
  });
  targets.push({ issue: 17, target: 'CPU ms per request of each process, inbox (dedup off)', actual: cpuLine(plain), met: plain.cpu ? null : false });
  targets.push({ issue: 17, target: 'CPU ms per request of each process, submissions', actual: cpuLine(submissions), met: submissions.cpu ? null : false });

  // The other issues' targets.
  const ratio = plain.latencyMs.p50 / direct.latencyMs.p50;
  const singleRatio = single / inbox.directComplaintsSubgraphSingleConnection.latencyMs.p50;
  targets.push({
    target: 'gateway p50 ≤ 1.3 × direct complaints-subgraph p50 (gateway deduplication off)',
    actual: `${plain.latencyMs.p50} / ${direct.latencyMs.p50} ms = ${round(ratio, 2)}× at ${plain.connections} connections; one at a time ${round(singleRatio, 2)}×`,
    met: ratio <= 1.3,
  });
  const dashboard = results.dashboard;
  targets.push({ target: 'dashboard p95 ≤ 200 ms', actual: `${dashboard.latencyMs.p95} ms`, met: dashboard.latencyMs.p95 <= 200 && dashboard.non2xx + dashboard.badBodies === 0 });
  const searched = results.search;
  targets.push({
    issue: 15,
    target: `search p95 ≤ 50 ms at ${searched.connections} clients (the target is at 1M complaints)`,
    actual: `${searched.latencyMs.p95} ms at ${formatInt(results.dataset.complaints)} complaints`,
    met: searched.latencyMs.p95 <= 50 && searched.non2xx + searched.badBodies === 0,
  });
  const uploads = results.uploads;
  targets.push({
    issue: 15,
    target: `attachment upload throughput at ${uploads.connections} clients (reported)`,
    actual: `${uploads.uploadsPerSecond} uploads/s, ${uploads.megabytesPerSecond} MiB/s, p95 ${uploads.latencyMs.p95} ms, ${uploads.non2xx + uploads.badBodies + uploads.socketErrors} failed`,
    met: uploads.non2xx + uploads.badBodies + uploads.socketErrors === 0 ? null : false,
  });
  const lag = results.webhookLag;
  targets.push({
    issue: 14,
    target: "webhook delivery lag under the submission load (reported); every submission's COMPLAINT_SUBMITTED arrives",
    actual: `p50 ${lag.lagMs.p50} ms, p95 ${lag.lagMs.p95} ms; ${lag.arrived} of ${lag.expected} arrived (${lag.missing} missing, ${lag.duplicates} again, ${lag.unverified} unverified)`,
    met: lag.missing === 0 && lag.unverified === 0,
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
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's, JavaScript planner (both with deduplication off)", actual: `${plain.rps} vs ${figures.join(', ')} req/s`, met: same });
    if (inbox.hive) targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's (both as shipped: deduplication on)", actual: `${gw.rps} vs ${inbox.hive.rps} req/s`, met: gw.rps >= best });
  } else {
    targets.push({ target: "our gateway's inbox throughput ≥ Hive Gateway's", actual: results.hive ? 'Hive run failed' : 'not run (--hive)', met: null });
  }
  return targets;
}

/** The table of figures, CPU per request, memory, profiles and the targets, on stdout. */
export function printTable(results: Results): void {
  const rows: string[][] = [['measurement', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors']];
  const measured: [string, LoadFigures][] = [];
  const add = (label: string, figures: LoadFigures | null | undefined) => {
    if (!figures) return;
    rows.push([label, String(figures.connections), String(figures.rps), String(figures.latencyMs.p50), String(figures.latencyMs.p95), String(figures.latencyMs.p99), String(figures.non2xx + figures.socketErrors + figures.timeouts + figures.badBodies)]);
    measured.push([`${label} (${figures.connections})`, figures]);
  };
  const inbox = results.inbox;
  add('inbox, gateway', inbox.gateway);
  add('inbox, gateway (dedup off)', inbox.gatewayNoDeduplication);
  add('inbox, gateway', inbox.gatewaySingleConnection);
  add('inbox, complaints subgraph only', inbox.directComplaintsSubgraph);
  add('inbox, complaints subgraph only', inbox.directComplaintsSubgraphSingleConnection);
  for (const [index, fetch] of inbox.planFetches.fetches.entries()) add(`inbox plan fetch ${index + 1}, ${fetch.subgraph} direct`, fetch.single);
  add('inbox, Hive Gateway (as shipped)', inbox.hive);
  add('inbox, Hive Gateway (dedup off)', inbox.hiveNoDeduplication);
  add('inbox, Hive Gateway Rust planner (dedup off)', inbox.hiveRustPlannerNoDeduplication);
  const pgRow = (label: string, pg: PgbenchResult) => {
    if ('tps' in pg) rows.push([`${label} (${pg.statementsPerTransaction} statements, ${pg.protocol})`, String(pg.clients), String(pg.tps), String(pg.latencyMs.p50), String(pg.latencyMs.p95), String(pg.latencyMs.p99), '0']);
  };
  pgRow('inbox SQL, pgbench', inbox.pgbench);
  pgRow('inbox SQL of complaints, pgbench', inbox.pgbenchComplaints);
  pgRow('inbox SQL, pgbench', inbox.pgbenchSimple);
  pgRow('inbox SQL of complaints, pgbench', inbox.pgbenchComplaintsSimple);
  add('national dashboard, last year', results.dashboard);
  add('national dashboard, last year', results.dashboardSingleConnection);
  add('searchComplaints, national admin', results.search);
  add('searchComplaints, national admin', results.searchSingleConnection);
  add('POST /attachments (JPEG)', results.uploads);
  add('submitComplaint', results.submissions);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const out: string[] = [];
  out.push(`\nLAPOR! Hub benchmark — ${formatInt(results.dataset.complaints)} complaints, ${results.options.duration} s per run, ${results.machine.cpus} CPUs, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres}`);
  out.push(`inbox: ${results.dataset.busyRegencyName} (${inbox.agencyId}), ${formatInt(inbox.totalCount)} assigned complaints, page of 50`);
  out.push('');
  out.push(line(rows[0]));
  out.push(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) out.push(line(row));
  const pgbenchRuns = [
    ['pgbench', inbox.pgbench],
    ['pgbench (complaints)', inbox.pgbenchComplaints],
    ['pgbench, simple', inbox.pgbenchSimple],
    ['pgbench (complaints), simple', inbox.pgbenchComplaintsSimple],
  ] as const;
  for (const [label, pg] of pgbenchRuns) if ('skipped' in pg) out.push(`${label} skipped: ${pg.skipped}`);
  const s = results.submissions;
  out.push('');
  out.push(`submissions: ${formatInt(s.acknowledged)} acknowledged (${s.acknowledgedPerSecond}/s), ${formatInt(s.rows)} rows stored, ${s.lost} lost, ${s.unacknowledgedRows} stored without an answer (cut off at the end)`);
  const lag = results.webhookLag;
  out.push(`webhook delivery lag (COMPLAINT_SUBMITTED, ${lag.subscriptions} subscriptions, commit → verified receipt): p50 ${lag.lagMs.p50} ms, p95 ${lag.lagMs.p95} ms, p99 ${lag.lagMs.p99} ms, max ${lag.lagMs.max} ms; ${lag.arrived} of ${lag.expected} arrived, ${lag.missing} missing, ${lag.duplicates} again, ${lag.unverified} unverified (waited ${lag.waitedSeconds} s after the run)`);
  const u = results.uploads;
  out.push(`attachment uploads: ${u.uploadsPerSecond} uploads/s, ${u.megabytesPerSecond} MiB/s of JPEGs of ${u.photoBytes.map((bytes) => round(bytes / 2 ** 20, 2)).join(', ')} MiB`);
  out.push(`SQL statements per inbox request (agencies/complaints/escalation): ${results.sqlStatementsPerInboxRequest.map((p) => `page ${p.pageSize} (${p.edges} edges): ${p.statements.agencies}/${p.statements.complaints}/${p.statements.escalation}`).join('; ')}`);
  out.push(`peak RSS (VmHWM, MiB; target ≤ ${PEAK_RSS_TARGET_MIB} for the hub's; the run it peaked in): ${Object.entries(results.memory.processes).map(([name, m]) => `${name} ${m?.peakRssMiB ?? '?'}${m?.during ? ` (${m.during})` : ''}`).join(', ')}`);
  if (results.hive) {
    out.push(`Hive Gateway ${results.hive.version ?? '?'}, router runtime ${results.hive.routerRuntimeVersion ?? 'not installed'}:`);
    for (const mode of ['default', 'noDeduplication', 'rustPlannerNoDeduplication'] as const) {
      const run = results.hive[mode];
      if (!run) continue;
      out.push(`  ${mode}: ${'failed' in run ? `failed (${String(run.failed).split('\n')[0]})` : 'notInstalled' in run ? run.notInstalled : `${run.queryPlanner} query planner, same answer as ours: ${run.sameAnswer ? 'yes' : `no (${run.difference})`}`}`);
    }
  }
  out.push('');
  out.push(`CPU per request (/proc utime+stime over each measured window ÷ its requests; "${POSTGRES_CPU}": the database's backends of this database; "total": the hub and the database, without the ${RUNNER_CPU}), and cores kept busy in all:`);
  for (const [label, figures] of measured) if (figures.cpu) out.push(`  ${label}: ${cpuLine(figures)}; ${figures.cpu.cores.total} cores`);
  if (results.profiles) {
    out.push('');
    out.push(`CPU profiles (${results.profiles.directory}): the top frames by self time, % of each process's busy time`);
    for (const [name, profile] of Object.entries(results.profiles.processes)) {
      out.push(`  ${name}: busy ${formatInt(profile.busyMs)} ms of ${formatInt(profile.sampledMs)} ms sampled`);
      for (const frame of profile.top) out.push(`    ${String(frame.percent).padStart(5)}%  ${String(formatInt(frame.selfMs)).padStart(7)} ms  ${frame.frame}`);
    }
  }
  out.push('');
  out.push(`load average (1/5/15 min) before: ${results.machine.loadAveragesBefore.join(' / ')}, after: ${results.machine.loadAveragesAfter.join(' / ')}`);
  out.push('');
  out.push('targets:');
  for (const target of results.targets) out.push(`  ${target.met === null ? '—     ' : target.met ? 'met   ' : 'MISSED'}  ${target.issue ? `[#${target.issue}] ` : ''}${target.target}: ${target.actual}`);
  process.stdout.write(out.join('\n') + '\n');
}
