import './env';
import os from 'node:os';
import { authSecretsFromEnv } from '@lapor-hub/lib';
import { DEFAULT_DATABASE_URL, formatInt, log, parseArgs, round } from './common';
import { ensureDataset, readFacts } from './dataset';
import { compareWithHive } from './hive/compare';
import { LoadRuns } from './load';
import { childEnvironment, killChildren, memoryOf, spawnHub, stopChildren } from './processes';
import { printTable, resultsOf, writeResults } from './report';
import type { RunOptions, ScenarioContext } from './scenarios/context';
import { nationalDashboard } from './scenarios/dashboard';
import { checkInbox, inboxDirect, inboxRequest, inboxThroughGateway, inboxWithoutDeduplication } from './scenarios/inbox';
import { inboxSql } from './scenarios/inbox-sql';
import { search } from './scenarios/search';
import { removeSubmissions, submissionPrefix, submissions } from './scenarios/submissions';

/**
 * `npm run bench -- [--complaints 10000] [--duration 10] [--connections 50]
 *   [--dashboard-connections 10] [--hive] [--database-url …] [--seed 1]` (bench/README.md).
 *
 * The scenarios, in this order:
 *   1. the data set: generated if the database is missing or holds another one;
 *   2. the inbox's SQL: statements per request at page sizes 10, 50, 100 (the hub in this
 *      process, counting what each subgraph sends) and one page's SQL under pgbench, before the
 *      hub's processes start so that nothing else runs;
 *   3. the hub as deployed, one child process per service, then under autocannon load:
 *      the inbox through our gateway, through a second gateway with deduplication off, and its
 *      complaints part straight at the complaints subgraph;
 *   4. (`--hive`) the inbox through Hive Gateway on the same subgraphs, in both modes;
 *   5. the national dashboard, then search;
 *   6. submissions, last because they add rows (counted, none may be lost, then removed);
 *   7. peak RSS of every child process, then the table and bench/results/<ISO date>.json.
 * Each load run is followed by the wait until the hub and the database are idle (`drain`).
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runStarted = new Date();
  const loadBefore = round(os.loadavg()[0], 2);
  const secrets = authSecretsFromEnv(process.env);

  const { meta, generatedNow } = await ensureDataset(options);
  const facts = await readFacts(options.databaseUrl);
  log(`data set: ${formatInt(meta.complaints)} complaints (as of ${meta.asOf}); inbox of ${facts.busyRegencyName} (${facts.busyRegencyId}): ${formatInt(facts.busyRegencyAssigned)} assigned`);

  const { sql, pgbench } = await inboxSql(options, secrets, facts.busyRegencyId);

  log('starting the hub: agencies, complaints, escalation, gateway (one process each)');
  const hub = await spawnHub(await childEnvironment(options.databaseUrl, secrets));
  const runs = new LoadRuns(options.databaseUrl, options.duration);
  const context: ScenarioContext = { options, secrets, facts, hub, runs, inbox: await inboxRequest(facts.busyRegencyId, secrets) };
  const totalCount = await checkInbox(context);
  const gateway = await inboxThroughGateway(context);
  const withoutDeduplication = await inboxWithoutDeduplication(context);
  const direct = await inboxDirect(context);

  const hive = options.hive ? await compareWithHive(context) : null;

  const dashboard = await nationalDashboard(context);
  const searched = await search(context);

  const prefix = submissionPrefix(runStarted);
  const submitted = await submissions(context, prefix);

  const memory = {
    ...Object.fromEntries([hub.gateway, hub.agencies, hub.complaints, hub.escalation].map((child) => [child.name, memoryOf(child.process.pid!)])),
    'gateway (deduplication off)': withoutDeduplication.memory,
    ...hive?.memory,
  };
  await stopChildren();
  const removed = await removeSubmissions(options.databaseUrl, prefix);
  log(`removed the ${formatInt(removed)} submitted complaints again`);

  const results = await resultsOf({
    runStarted,
    loadBefore,
    options,
    meta,
    generatedNow,
    facts,
    inbox: {
      totalCount,
      gateway: gateway.loaded,
      gatewayNoDeduplication: withoutDeduplication.loaded,
      gatewaySingleConnection: gateway.single,
      directComplaintsSubgraph: direct.loaded,
      directComplaintsSubgraphSingleConnection: direct.single,
      pgbench,
    },
    dashboard,
    search: searched,
    submissions: submitted,
    sql,
    drains: runs.drains,
    memory,
    hive: hive?.hive ?? null,
  });
  const file = writeResults(results);
  printTable(results);
  log(`\nwritten: ${file}`);
}

function parseOptions(argv: string[]): RunOptions {
  const args = parseArgs(argv, {
    complaints: 'number',
    duration: 'number',
    connections: 'number',
    'dashboard-connections': 'number',
    hive: 'boolean',
    'database-url': 'string',
    seed: 'number',
  });
  return {
    complaints: args.complaints ?? 10_000,
    duration: args.duration ?? 10,
    connections: args.connections ?? 50,
    dashboardConnections: args['dashboard-connections'] ?? 10,
    hive: args.hive ?? false,
    databaseUrl: args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    seed: args.seed ?? 1,
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    killChildren();
    process.exit(1);
  },
);
