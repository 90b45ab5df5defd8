import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readCommittedSupergraph, type SubgraphName } from '@lapor-hub/lib';
import { log } from '../common';
import { postJson, type LoadFigures } from '../load';
import { freePort } from '../../test/support/free-port';
import { adopt, memoryOf, profileArgs, ROOT, stopChild, waitFor, type Child, type Memory } from '../processes';
import { inboxSpec } from '../scenarios/inbox';
import type { ScenarioContext } from '../scenarios/context';

/**
 * Hive Gateway on the same subgraphs (`--hive`): as it ships (it merges identical subgraph requests
 * in flight, which this load of one identical query favours), with that off (the same work as
 * ours), and with that off on its Rust query planner and executor (`@graphql-hive/router-runtime`,
 * `--hive-router-runtime`) when that package is installed. In each mode one inbox answer is
 * deep-compared with ours, then the inbox is loaded.
 */

export type HiveMode = 'default' | 'noDeduplication' | 'rustPlannerNoDeduplication';

const MODES: { mode: HiveMode; deduplicate: boolean; rustPlanner: boolean; description: string }[] = [
  { mode: 'default', deduplicate: true, rustPlanner: false, description: 'as shipped' },
  { mode: 'noDeduplication', deduplicate: false, rustPlanner: false, description: 'in-flight deduplication off' },
  { mode: 'rustPlannerNoDeduplication', deduplicate: false, rustPlanner: true, description: 'Rust query planner, in-flight deduplication off' },
];

/** The package that gives Hive Gateway the Rust query planner; the bench uses it only when installed. */
const ROUTER_RUNTIME = '@graphql-hive/router-runtime';

export type HiveRun = { sameAnswer: boolean; difference: string | null; inbox: LoadFigures } | { failed: string } | { notInstalled: string };

export interface HiveComparison {
  version: string | null;
  /** The installed `@graphql-hive/router-runtime`, or null. */
  routerRuntimeVersion: string | null;
  default?: HiveRun;
  noDeduplication?: HiveRun;
  rustPlannerNoDeduplication?: HiveRun;
}

export async function compareWithHive(context: ScenarioContext): Promise<{ hive: HiveComparison; memory: Partial<Record<string, Memory>> }> {
  const { options, hub, runs, inbox } = context;
  const routerRuntimeVersion = packageVersion(ROUTER_RUNTIME);
  const hive: HiveComparison = { version: packageVersion('@graphql-hive/gateway'), routerRuntimeVersion };
  const memory: Partial<Record<string, Memory>> = {};
  for (const { mode, deduplicate, rustPlanner, description } of MODES) {
    if (rustPlanner && !routerRuntimeVersion) {
      hive[mode] = { notInstalled: `${ROUTER_RUNTIME} is not installed` };
      log(`Hive Gateway with the Rust query planner: not run, ${ROUTER_RUNTIME} is not installed`);
      continue;
    }
    log(`starting Hive Gateway on the same subgraphs (${description})`);
    let started: { child: Child; directory: string } | null = null;
    try {
      const subgraphs = { agencies: hub.agencies.url, complaints: hub.complaints.url, escalation: hub.escalation.url, webhooks: hub.webhooks.url };
      started = await startHive(subgraphs, { ...hub.env, HIVE_DEDUPLICATE_INFLIGHT: String(deduplicate) }, rustPlanner, `hive-gateway (${mode})`);
      const fromHive = await postJson(started.child.url, JSON.parse(inbox.body), inbox.headers);
      const fromOurs = await postJson(hub.gateway.url, JSON.parse(inbox.body), inbox.headers);
      const difference = firstDifference(fromOurs, fromHive);
      log(`Hive's answer ${difference ? `differs from ours: ${difference}` : 'equals ours'}`);
      const spec = inboxSpec(context, started.child.url);
      log(`inbox through Hive Gateway: ${options.connections} connections, ${options.duration} s`);
      await runs.warm(spec);
      const figures = await runs.measure(`inbox, Hive (${mode})`, spec);
      hive[mode] = { sameAnswer: difference === null, difference, inbox: figures };
      memory[`hive-gateway (${mode})`] = memoryOf(started.child.process.pid!);
    } catch (error) {
      hive[mode] = { failed: (error as Error).message.slice(0, 2000) };
      log(`Hive Gateway run failed: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      if (started) {
        await stopChild(started.child);
        rmSync(started.directory, { recursive: true, force: true });
      }
    }
  }
  return { hive, memory };
}

/** The inbox figures of one mode, or null when it failed or did not run. */
export function hiveInbox(hive: HiveComparison | null, mode: HiveMode): LoadFigures | null {
  const run = hive?.[mode];
  return run && 'inbox' in run ? run.inbox : null;
}

/**
 * `hive-gateway supergraph` on the committed supergraph, its subgraph URLs rewritten to the running
 * ones; `rustPlanner`: with `--hive-router-runtime`, which Hive silently drops (with a warning)
 * when it cannot load the package: that warning fails the start here.
 */
async function startHive(subgraphs: Partial<Record<SubgraphName, string>>, env: NodeJS.ProcessEnv, rustPlanner: boolean, name: string): Promise<{ child: Child; directory: string }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'lapor-hive-'));
  const supergraph = readCommittedSupergraph().replace(
    /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
    (whole, name: string) => (name in subgraphs ? `@join__graph(name: "${name}", url: "${subgraphs[name as SubgraphName]!}")` : whole),
  );
  const supergraphFile = path.join(directory, 'supergraph.graphql');
  writeFileSync(supergraphFile, supergraph);
  const port = await freePort();
  const bin = path.join(path.dirname(require.resolve('@graphql-hive/gateway')), 'bin.js');
  const child = spawn(
    process.execPath,
    [
      ...profileArgs(name),
      bin,
      'supergraph',
      supergraphFile,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--config-path',
      path.join(__dirname, 'gateway.config.ts'),
      ...(rustPlanner ? ['--hive-router-runtime'] : []),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const handle = adopt({ name, process: child, url: `http://127.0.0.1:${port}/graphql` });
  try {
    await waitFor(`http://127.0.0.1:${port}/readiness`, 60, child);
  } catch (error) {
    throw new Error(`Hive Gateway did not start: ${(error as Error).message}\n${output}`);
  }
  if (rustPlanner && /Could not load the @graphql-hive\/router-runtime/.test(output)) {
    await stopChild(handle);
    throw new Error(`Hive Gateway could not load ${ROUTER_RUNTIME} and fell back to its JavaScript planner:\n${output}`);
  }
  return { child: handle, directory };
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
