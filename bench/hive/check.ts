import '../env';
import { authSecretsFromEnv } from '@lapor-hub/lib';
import { DEFAULT_DATABASE_URL, log, parseArgs } from '../common';
import { readFacts } from '../dataset';
import { childEnvironment, spawnHub, stopChildren } from '../processes';
import { checkInbox, inboxRequest } from '../scenarios/inbox';
import { eachHiveMode, type HiveCheck } from './compare';
import type { HiveMode } from './modes';

/**
 * `npx tsx bench/hive/check.ts [--database-url postgresql://…/lapor_bench]`: the `--hive` part of
 * the benchmark without its load, in about a minute on an existing data set (never generated
 * here). The hub is started as the benchmark starts it, then Hive Gateway in each mode; each must
 * answer the inbox as ours does and plan it with the expected planner. Exits 1 otherwise.
 */
async function main(): Promise<boolean> {
  const args = parseArgs(process.argv.slice(2), { 'database-url': 'string' });
  const databaseUrl = args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const secrets = authSecretsFromEnv(process.env);
  const facts = await readFacts(databaseUrl);
  const hub = await spawnHub(await childEnvironment(databaseUrl, secrets));
  try {
    const context = { hub, inbox: await inboxRequest(facts.busyRegencyId, secrets) };
    await checkInbox(context);
    const outcomes: Partial<Record<HiveMode, HiveCheck | { failed: string } | { notInstalled: string }>> = {};
    await eachHiveMode(context, outcomes, async (_mode, _child, checked) => checked);
    let passed = true;
    for (const [mode, outcome] of Object.entries(outcomes)) {
      const ok = 'sameAnswer' in outcome && outcome.sameAnswer;
      passed &&= ok;
      log(`${ok ? 'ok    ' : 'FAILED'}  ${mode}: ${JSON.stringify(outcome)}`);
    }
    return passed;
  } finally {
    await stopChildren();
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
