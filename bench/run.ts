import './env';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authSecretsFromEnv } from '@lapor-hub/lib';
import { DEFAULT_DATABASE_URL, formatInt, lockBenchDatabase, log, parseArgs } from './common';
import { ensureDataset, readFacts } from './dataset';
import { compareWithHive } from './hive/compare';
import { LoadRuns } from './load';
import { childEnvironment, killChildren, memoryOf, profileInto, ROOT, spawnHub, stopChildren } from './processes';
import { summarizeProfiles } from './profile';
import { printTable, resultsOf, writeResults } from './report';
import { attachmentUploads, removeUploads } from './scenarios/attachments';
import type { RunOptions, ScenarioContext } from './scenarios/context';
import { nationalDashboard } from './scenarios/dashboard';
import { checkInbox, inboxDirect, inboxRequest, inboxThroughGateway, inboxWithoutDeduplication } from './scenarios/inbox';
import { inboxSql } from './scenarios/inbox-sql';
import { planFetchesDirect, recordPlanFetches } from './scenarios/plan-fetches';
import { search } from './scenarios/search';
import { removeSubmissions, submissionPrefix, submissions } from './scenarios/submissions';
import { DeliveryLagReceiver } from './scenarios/webhook-lag';

/**
 * `npm run bench -- [--complaints 10000] [--duration 10] [--connections 50]
 *   [--dashboard-connections 10] [--upload-connections 4] [--hive] [--profile]
 *   [--database-url …] [--seed 1]` (bench/README.md).
 *
 * The scenarios, in this order:
 *   1. the data set: generated if the database is missing or holds another one;
 *   2. the inbox's SQL: statements per request at page sizes 10, 50, 100 (the hub in this
 *      process, counting what each subgraph sends), then one page's SQL under pgbench, all of it
 *      and the complaints subgraph's share alone, before the hub's processes start so that
 *      nothing else runs;
 *   3. the hub as deployed, one child process per service (`--profile`: each writing a CPU
 *      profile), then: the inbox's query plan recorded through a gateway on recording proxies;
 *      under autocannon load the inbox through our gateway, through a second gateway with
 *      deduplication off, and its complaints fetch straight at the complaints subgraph; every
 *      fetch of the plan straight at its subgraph, one at a time;
 *   4. (`--hive`) the inbox through Hive Gateway on the same subgraphs: as shipped, deduplication
 *      off, and deduplication off on the Rust query planner when installed;
 *   5. the national dashboard, search, attachment uploads;
 *   6. submissions, last because they add rows (counted, none may be lost, then removed), with
 *      every regency and city subscribed to COMPLAINT_SUBMITTED: the webhook delivery lag;
 *   7. peak RSS of every child process; the children stop (and write their profiles); the table
 *      and bench/results/<ISO date>.json.
 * Each load run is followed by the wait until the hub and the database are idle (`drain`), and
 * records the CPU time each process spent in it.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runStarted = new Date();
  const loadBefore = os.loadavg();
  const secrets = authSecretsFromEnv(process.env);
  const unlock = await lockBenchDatabase(options.databaseUrl);

  const { meta, generatedNow } = await ensureDataset(options);
  const facts = await readFacts(options.databaseUrl);
  log(`data set: ${formatInt(meta.complaints)} complaints (as of ${meta.asOf}); inbox of ${facts.busyRegencyName} (${facts.busyRegencyId}): ${formatInt(facts.busyRegencyAssigned)} assigned`);

  const { sql, pgbench, pgbenchComplaints, pgbenchSimple, pgbenchComplaintsSimple } = await inboxSql(options, secrets, facts.busyRegencyId);

  const profileDirectory = options.profile ? path.join(__dirname, 'results', 'profiles', runStarted.toISOString().replace(/:/g, '-')) : null;
  if (profileDirectory) {
    mkdirSync(profileDirectory, { recursive: true });
    profileInto(profileDirectory);
    log(`profiling every child process into ${path.relative(ROOT, profileDirectory)}`);
  }
  log('starting the hub: agencies, webhooks, complaints, escalation, registry, gateway (one process each)');
  const hub = await spawnHub(await childEnvironment(options.databaseUrl, secrets));
  const runs = new LoadRuns(options.databaseUrl, options.duration);
  const context: ScenarioContext = { options, secrets, facts, hub, runs, inbox: await inboxRequest(facts.busyRegencyId, secrets) };
  const totalCount = await checkInbox(context);
  const planFetches = await recordPlanFetches(context);
  const gateway = await inboxThroughGateway(context);
  const withoutDeduplication = await inboxWithoutDeduplication(context);
  const direct = await inboxDirect(context, planFetches.find((fetch) => fetch.subgraph === 'complaints')!);
  const plan = await planFetchesDirect(context, planFetches);

  const hive = options.hive ? await compareWithHive(context) : null;

  const dashboard = await nationalDashboard(context);
  const searched = await search(context);
  const uploads = await attachmentUploads(context);

  const prefix = submissionPrefix(runStarted);
  const receiver = await DeliveryLagReceiver.start(context);
  const submitted = await submissions(context, prefix);
  const webhookLag = await receiver.finish(options.databaseUrl, prefix, Math.max(60, 3 * options.duration));

  const memory = {
    ...Object.fromEntries(
      [hub.gateway, hub.agencies, hub.complaints, hub.escalation, hub.webhooks, hub.registry].map((child) => {
        const memory = memoryOf(child.process.pid!);
        return [child.name, memory && { ...memory, during: runs.peaks[child.name]?.label }];
      }),
    ),
    'gateway (deduplication off)': withoutDeduplication.memory,
    ...hive?.memory,
  };
  await stopChildren();
  const profiles = profileDirectory ? summarizeProfiles(profileDirectory) : null;
  const removed = await removeSubmissions(options.databaseUrl, prefix);
  const removedUploads = await removeUploads(options.databaseUrl, hub.env);
  log(`removed the ${formatInt(removed)} submitted complaints and ${formatInt(removedUploads)} uploads again`);

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
      planFetches: plan,
      pgbench,
      pgbenchComplaints,
      pgbenchSimple,
      pgbenchComplaintsSimple,
    },
    dashboard,
    search: searched,
    uploads,
    submissions: submitted,
    webhookLag,
    sql,
    drains: runs.drains,
    memory,
    hive: hive?.hive ?? null,
    profiles: profileDirectory && profiles ? { directory: path.relative(ROOT, profileDirectory), processes: profiles } : null,
  });
  const file = writeResults(results);
  printTable(results);
  log(`\nwritten: ${file}`);
  await unlock();
}

function parseOptions(argv: string[]): RunOptions {
  const args = parseArgs(argv, {
    complaints: 'number',
    duration: 'number',
    connections: 'number',
    'dashboard-connections': 'number',
    'upload-connections': 'number',
    hive: 'boolean',
    profile: 'boolean',
    'database-url': 'string',
    seed: 'number',
  });
  return {
    complaints: args.complaints ?? 10_000,
    duration: args.duration ?? 10,
    connections: args.connections ?? 50,
    dashboardConnections: args['dashboard-connections'] ?? 10,
    uploadConnections: args['upload-connections'] ?? 4,
    hive: args.hive ?? false,
    profile: args.profile ?? false,
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
