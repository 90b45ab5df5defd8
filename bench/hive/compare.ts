import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readCommittedSupergraph, type SubgraphName } from '@lapor-hub/lib';
import { log } from '../common';
import { postJson, type LoadFigures } from '../load';
import { freePort } from '../../test/support/free-port';
import { adopt, memoryOf, ROOT, stopChild, waitFor, type Child, type Memory } from '../processes';
import { inboxSpec } from '../scenarios/inbox';
import type { ScenarioContext } from '../scenarios/context';

/**
 * Hive Gateway on the same subgraphs (`--hive`): as it ships (it merges identical subgraph requests
 * in flight, which this load of one identical query favours), and with that off (the same work as
 * ours). In each mode one inbox answer is deep-compared with ours, then the inbox is loaded.
 */

export type HiveMode = 'default' | 'noDeduplication';

export type HiveRun = { sameAnswer: boolean; difference: string | null; inbox: LoadFigures } | { failed: string };

export interface HiveComparison {
  version: string | null;
  default?: HiveRun;
  noDeduplication?: HiveRun;
}

export async function compareWithHive(context: ScenarioContext): Promise<{ hive: HiveComparison; memory: Partial<Record<string, Memory>> }> {
  const { options, hub, runs, inbox } = context;
  const hive: HiveComparison = { version: hiveVersion() };
  const memory: Partial<Record<string, Memory>> = {};
  for (const deduplicate of [true, false]) {
    const mode: HiveMode = deduplicate ? 'default' : 'noDeduplication';
    log(`starting Hive Gateway on the same subgraphs (${deduplicate ? 'as shipped' : 'in-flight deduplication off'})`);
    let started: { child: Child; directory: string } | null = null;
    try {
      started = await startHive({ agencies: hub.agencies.url, complaints: hub.complaints.url, escalation: hub.escalation.url, webhooks: hub.webhooks.url }, {
        ...hub.env,
        HIVE_DEDUPLICATE_INFLIGHT: String(deduplicate),
      });
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

/** `hive-gateway supergraph` on the committed supergraph, its subgraph URLs rewritten to the running ones. */
async function startHive(subgraphs: Partial<Record<SubgraphName, string>>, env: NodeJS.ProcessEnv): Promise<{ child: Child; directory: string }> {
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
    [bin, 'supergraph', supergraphFile, '--port', String(port), '--host', '127.0.0.1', '--config-path', path.join(__dirname, 'gateway.config.ts')],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const handle = adopt({ name: 'hive-gateway', process: child, url: `http://127.0.0.1:${port}/graphql` });
  try {
    await waitFor(`http://127.0.0.1:${port}/readiness`, 60, child);
  } catch (error) {
    throw new Error(`Hive Gateway did not start: ${(error as Error).message}\n${output}`);
  }
  return { child: handle, directory };
}

function hiveVersion(): string | null {
  try {
    return JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@graphql-hive/gateway')), '..', 'package.json'), 'utf8')).version;
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
