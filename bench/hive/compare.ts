import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readCommittedSupergraph, type SubgraphName } from '@lapor-hub/lib';
import { log } from '../common';
import { assertNoErrors, postJson, type LoadFigures } from '../load';
import { memoryOf, ROOT, spawnService, stopChild, type Child, type Memory } from '../processes';
import { inboxSpec } from '../scenarios/inbox';
import type { ScenarioContext } from '../scenarios/context';
import { HIVE_MODES, QUERY_PLAN_HEADER, ROUTER_RUNTIME, type HiveMode } from './modes';

export type { HiveMode } from './modes';

/**
 * Hive Gateway on the same subgraphs (`--hive`), in its own process (`./serve`): as it ships (it
 * merges identical subgraph requests in flight, which this load of one identical query favours),
 * with that off (the same work as ours), and with that off on its Rust query planner and executor
 * (`@graphql-hive/router-runtime`) when that package is installed. In each mode one inbox answer
 * is deep-compared with ours (and, on the Rust planner, its plan is checked to be the Rust
 * planner's), then the inbox is loaded.
 */

export type HiveRun = (HiveCheck & { inbox: LoadFigures }) | { failed: string } | { notInstalled: string };

export interface HiveComparison {
  version: string | null;
  /** The installed `@graphql-hive/router-runtime`, or null. */
  routerRuntimeVersion: string | null;
  default?: HiveRun;
  noDeduplication?: HiveRun;
  rustPlannerNoDeduplication?: HiveRun;
}

export async function compareWithHive(context: ScenarioContext): Promise<{ hive: HiveComparison; memory: Partial<Record<string, Memory>> }> {
  const { options, runs } = context;
  const hive: HiveComparison = { version: packageVersion('@graphql-hive/gateway'), routerRuntimeVersion: packageVersion(ROUTER_RUNTIME) };
  const memory: Partial<Record<string, Memory>> = {};
  await eachHiveMode(context, hive, async (mode, child, checked) => {
    const spec = inboxSpec(context, child.url);
    log(`inbox through Hive Gateway: ${options.connections} connections, ${options.duration} s`);
    await runs.warm(`inbox, Hive (${mode})`, spec);
    const figures = await runs.measure(`inbox, Hive (${mode})`, spec);
    memory[`hive-gateway (${mode})`] = memoryOf(child.process.pid!);
    return { ...checked, inbox: figures };
  });
  return { hive, memory };
}

/** What is known of a mode before its load: whether its inbox equals ours, and which planner made it. */
export interface HiveCheck {
  sameAnswer: boolean;
  difference: string | null;
  queryPlanner: 'javascript' | 'rust';
}

/**
 * Each mode in turn (the Rust planner's only when its package is installed): Hive Gateway started
 * on the running hub's subgraphs, one inbox deep-compared with ours and its planner checked, then
 * `then` with the running process; the process is stopped after it. Each mode's outcome goes to
 * `into[mode]`: `then`'s, or why the mode failed or did not run.
 */
export async function eachHiveMode<Run extends object>(
  { hub, inbox }: Pick<ScenarioContext, 'hub' | 'inbox'>,
  into: Partial<Record<HiveMode, Run | { failed: string } | { notInstalled: string }>>,
  then: (mode: HiveMode, child: Child, checked: HiveCheck) => Promise<Run>,
): Promise<void> {
  const routerRuntimeInstalled = packageVersion(ROUTER_RUNTIME) !== null;
  const directory = mkdtempSync(path.join(os.tmpdir(), 'lapor-hive-'));
  const supergraphFile = path.join(directory, 'supergraph.graphql');
  writeFileSync(supergraphFile, supergraphOn({ agencies: hub.agencies.url, complaints: hub.complaints.url, escalation: hub.escalation.url, webhooks: hub.webhooks.url }));
  try {
    for (const { mode, rustPlanner, description } of HIVE_MODES) {
      if (rustPlanner && !routerRuntimeInstalled) {
        into[mode] = { notInstalled: `${ROUTER_RUNTIME} is not installed` };
        log(`Hive Gateway with the Rust query planner: not run, ${ROUTER_RUNTIME} is not installed`);
        continue;
      }
      log(`starting Hive Gateway on the same subgraphs (${description})`);
      let child: Child | null = null;
      try {
        child = await spawnService(mode, { ...hub.env, HIVE_SUPERGRAPH_FILE: supergraphFile, AGENCIES_URL: hub.agencies.url }, `hive-gateway (${mode})`, path.join(__dirname, 'serve.ts'));
        const query = JSON.parse(inbox.body);
        const fromHive = await postJson(child.url, query, inbox.headers);
        const fromOurs = await postJson(hub.gateway.url, query, inbox.headers);
        const difference = firstDifference(fromOurs, fromHive);
        log(`Hive's answer ${difference ? `differs from ours: ${difference}` : 'equals ours'}`);
        const queryPlanner = await plannerOf(child.url, query, inbox.headers);
        if (queryPlanner !== (rustPlanner ? 'rust' : 'javascript')) throw new Error(`Hive Gateway (${mode}) planned the inbox with its ${queryPlanner} query planner`);
        into[mode] = await then(mode, child, { sameAnswer: difference === null, difference, queryPlanner });
      } catch (error) {
        into[mode] = { failed: (error as Error).message.slice(0, 2000) };
        log(`Hive Gateway run failed: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        if (child) await stopChild(child);
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The inbox figures of one mode, or null when it failed or did not run. */
export function hiveInbox(hive: HiveComparison | null, mode: HiveMode): LoadFigures | null {
  const run = hive?.[mode];
  return run && 'inbox' in run ? run.inbox : null;
}

/** The committed supergraph with its subgraph URLs rewritten to the running ones. */
function supergraphOn(subgraphs: Partial<Record<SubgraphName, string>>): string {
  return readCommittedSupergraph().replace(
    /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
    (whole, name: string) => (name in subgraphs ? `@join__graph(name: "${name}", url: "${subgraphs[name as SubgraphName]!}")` : whole),
  );
}

/**
 * Which planner planned a query: the Rust-planner mode answers a request carrying
 * QUERY_PLAN_HEADER with the Rust planner's plan in `extensions.queryPlan`; Hive's JavaScript
 * planner leaves none there.
 */
async function plannerOf(url: string, query: unknown, headers: Record<string, string>): Promise<'javascript' | 'rust'> {
  const answer = await postJson(url, query, { ...headers, [QUERY_PLAN_HEADER]: 'expose' });
  assertNoErrors('the inbox through Hive Gateway', answer);
  const plan = answer?.extensions?.queryPlan;
  return plan?.kind === 'QueryPlan' && plan.node ? 'rust' : 'javascript';
}

/** The installed version of a package in the checkout's node_modules (where Hive Gateway looks for it too), or null. */
function packageVersion(name: string): string | null {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
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
