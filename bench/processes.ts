import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SECRET_NAMES, secretsFromEnv, type AuthSecrets } from '@lapor-hub/lib';
import { round, withClient } from './common';

/**
 * Process control for `bench/run.ts`: the hub's services (and Hive Gateway) as child processes,
 * their memory and CPU time, and the wait until they and the database are idle between load runs.
 */

export const ROOT = path.resolve(__dirname, '..');

export interface Child {
  name: string;
  process: ChildProcess;
  url: string;
}

const children: Child[] = [];

/** Every child still running is killed when the runner exits, however it exits. */
export function killChildren(): void {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
}
process.on('exit', killChildren);

/** Registers a child process started elsewhere (Hive Gateway), so that it is stopped and measured like ours. */
export function adopt(child: Child): Child {
  children.push(child);
  return child;
}

/** The running children by name, for their CPU time and memory. */
export function runningChildren(): Child[] {
  return children.filter((child) => child.process.exitCode === null && child.process.pid !== undefined);
}

/**
 * `--profile`: the directory every child writes its CPU profile to when it exits (`node
 * --cpu-prof`), or null.
 */
let profileDirectory: string | null = null;

export function profileInto(directory: string): void {
  profileDirectory = directory;
}

/**
 * V8 samples every 1 ms by default, and each sample costs the process system time even when it is
 * idle: six profiled processes would then never look idle to `drain`, and every figure of CPU per
 * request would carry it. One sample per 5 ms still gives thousands per process over a run.
 */
const PROFILE_INTERVAL_US = 5000;

/**
 * The node options that make a child named `name` write its CPU profiles under `--profile`, into
 * a directory of its own: tsx's module loader runs in a worker thread, which writes a profile
 * too (Node names each `CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`; the main thread is 0).
 */
export function profileArgs(name: string): string[] {
  if (!profileDirectory) return [];
  const directory = path.join(profileDirectory, name.replace(/[^\w.-]+/g, '-').replace(/-+$/, ''));
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`];
}

const HUB_SCRIPT = path.join(__dirname, 'serve.ts');

/**
 * How every hub process starts, as under `npm start` (package.json): its V8 flags, and TypeScript
 * through tsx's CommonJS hook alone (see `startHubService`). Hive's run on V8's defaults, with tsx's
 * whole loader for its ES modules.
 */
const HUB_NODE_ARGS = ['--heap-growing-percent=50', '--require', 'tsx/cjs'];
const HIVE_NODE_ARGS = ['--import', 'tsx'];

/**
 * One hub service in its own process (`bench/serve.ts <name>`), once it serves. `label` names it
 * in the figures when the same service runs twice (the gateway with deduplication off); `script`:
 * another entry point that prints the same ready line (Hive Gateway's, `bench/hive/serve.ts`).
 */
export async function spawnService(name: string, env: NodeJS.ProcessEnv, label = name, script = HUB_SCRIPT): Promise<Child> {
  const child = spawn(process.execPath, [...profileArgs(label), ...(script === HUB_SCRIPT ? HUB_NODE_ARGS : HIVE_NODE_ARGS), script, name], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^LAPOR_BENCH_READY (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready:\n${stderr}`)));
  });
  return adopt({ name: label, process: child, url });
}

export async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill('SIGTERM');
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
  await Promise.race([exited, timeout]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

/** Stops every child, the last started first. */
export async function stopChildren(): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child);
}

/** A status field of a process in KiB (`VmHWM`, `VmRSS`), or NaN. */
function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}

/** The highest VmHWM of each process before its last `resetPeak`, in KiB. */
const peaksBeforeReset = new Map<number, number>();

/**
 * Starts a new peak of a process's resident set (Linux: `5` in /proc/<pid>/clear_refs), so that
 * a load run reads its own; `memoryOf` still reports the peak of the whole life.
 */
export function resetPeak(pid: number): void {
  try {
    peaksBeforeReset.set(pid, Math.max(peaksBeforeReset.get(pid) ?? 0, statusKiB(pid, 'VmHWM')));
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // exited meanwhile
  }
}

/** VmHWM since the last `resetPeak` (or the start), in MiB, or null once it exited. */
export function peakSinceReset(pid: number): number | null {
  try {
    return round(statusKiB(pid, 'VmHWM') / 1024);
  } catch {
    return null;
  }
}

/**
 * The peak resident set of a process's whole life and its VmRSS now, in MiB; `during`: the load
 * run in which it peaked (set by the runner from `LoadRuns.peaks`).
 */
export function memoryOf(pid: number): { peakRssMiB: number; rssMiB: number; during?: string } | null {
  try {
    return { peakRssMiB: round(Math.max(statusKiB(pid, 'VmHWM'), peaksBeforeReset.get(pid) ?? 0) / 1024), rssMiB: round(statusKiB(pid, 'VmRSS') / 1024) };
  } catch {
    return null;
  }
}

export type Memory = ReturnType<typeof memoryOf>;

export async function waitFor(url: string, seconds: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/**
 * Waits until the database runs no statement of ours: requests still queued when a load run
 * stops keep the services and PostgreSQL busy, and must not be counted against the next run.
 */
export async function drain(url: string, maxSeconds = 180): Promise<number> {
  const started = Date.now();
  await withClient(url, async (client) => {
    while (Date.now() - started < maxSeconds * 1000) {
      const { rows } = await client.query(
        `select count(*)::int as active from pg_stat_activity where datname = current_database() and state <> 'idle' and pid <> pg_backend_pid()`,
      );
      if (rows[0].active === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  // The services may still be working off requests nobody waits for: wait until each process is
  // (nearly) idle too, under a tenth of a core. Each on its own: under `--profile` every idle
  // process samples itself at a few per cent of a core, which summed over ten never looked idle.
  let quiet = 0;
  let previous = cpuSecondsByChild();
  while (quiet < 2 && Date.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuSecondsByChild();
    const busy = [...now].some(([pid, seconds]) => seconds - (previous.get(pid) ?? seconds) >= 0.03);
    quiet = busy ? 0 : quiet + 1;
    previous = now;
  }
  return round((Date.now() - started) / 1000, 1);
}

/** CPU seconds used so far by each running child process, by pid. */
function cpuSecondsByChild(): Map<number, number> {
  return new Map(runningChildren().map((child) => [child.process.pid!, (cpuTicksOf(child.process.pid!) ?? 0) / CLOCK_TICKS]));
}

/** The kernel's clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
export const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU time of a process so far, in clock ticks (fields 14 and 15 of /proc/<pid>/stat), or null once it exited. */
export function cpuTicksOf(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces: the fields after it are counted from its ')'.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL backends serving `database` (their command line reads `postgres: … <user> <database>
 * <host>(<port>) <state>`), by pid. Other databases on the same server (other sessions' tests) are
 * left out, and so are the server's shared processes (checkpointer, WAL writer).
 */
export function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (command.startsWith('postgres: ') && command.split(' ').includes(database)) pids.push(Number(entry));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * The environment of every child: the same secrets as this process, whatever their source (env or
 * this checkout's DATA_DIR/secrets.json), and production mode as deployed (graphql-js skips its development checks there).
 */
export async function childEnvironment(databaseUrl: string, secrets: AuthSecrets): Promise<NodeJS.ProcessEnv> {
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  // Production refuses to start without each secret in the environment.
  const others = secretsFromEnv(SECRET_NAMES.filter((name) => name !== 'JWT_SECRET'), process.env);
  return {
    ...process.env,
    NODE_ENV: 'production',
    // glibc gives each thread that allocates (libvips's, libuv's pool) an arena of its own, up to
    // eight per core, and keeps what each freed: two bound the gateway's resident memory under
    // image uploads (one upload run: 289 → 236 MiB). It is read when a process starts.
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    // A freed block of 1 MiB or more goes back to the system at once: by default glibc raises
    // this threshold to each large block freed (up to 32 MiB), so the images libvips decoded
    // stayed in the arenas and the gateway kept them (after an upload run: 274 → 214 MiB).
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '1048576',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: decode(secrets.jwtSecret),
    GATEWAY_SIGNING_KEY: JSON.stringify(secrets.gatewayKeys.current),
    ...(secrets.gatewayKeys.next ? { GATEWAY_SIGNING_KEY_NEXT: JSON.stringify(secrets.gatewayKeys.next) } : {}),
    SERVICE_SIGNING_KEY: JSON.stringify(secrets.serviceKeys.current),
    ...(secrets.serviceKeys.next ? { SERVICE_SIGNING_KEY_NEXT: JSON.stringify(secrets.serviceKeys.next) } : {}),
    ...Object.fromEntries(Object.entries(others).map(([name, value]) => [name, decode(value)])),
  };
}

export interface HubProcesses {
  agencies: Child;
  complaints: Child;
  escalation: Child;
  registry: Child;
  webhooks: Child;
  gateway: Child;
  /** The environment the hub's children got, for another gateway or Hive on the same subgraphs. */
  env: NodeJS.ProcessEnv;
}

/** The hub as deployed: one process per service, each started after those it calls. */
export async function spawnHub(env: NodeJS.ProcessEnv): Promise<HubProcesses> {
  const agencies = await spawnService('agencies', env);
  const webhooks = await spawnService('webhooks', { ...env, AGENCIES_URL: agencies.url });
  const complaints = await spawnService('complaints', { ...env, AGENCIES_URL: agencies.url, WEBHOOKS_URL: webhooks.url });
  const escalation = await spawnService('escalation', { ...env, AGENCIES_URL: agencies.url, COMPLAINTS_URL: complaints.url, WEBHOOKS_URL: webhooks.url });
  const registry = await spawnService('registry', { ...env, AGENCIES_URL: agencies.url, COMPLAINTS_URL: complaints.url, ESCALATION_URL: escalation.url, WEBHOOKS_URL: webhooks.url });
  const gateway = await spawnGateway({ agencies, complaints, escalation, webhooks, registry, env });
  return { agencies, complaints, escalation, webhooks, registry, gateway, env };
}

/** A gateway process on the hub's subgraphs (`extraEnv`: e.g. deduplication off; `label`: its name in the figures). */
export function spawnGateway(hub: Omit<HubProcesses, 'gateway'>, extraEnv: NodeJS.ProcessEnv = {}, label = 'gateway'): Promise<Child> {
  return spawnService(
    'gateway',
    {
      ...hub.env,
      AGENCIES_URL: hub.agencies.url,
      COMPLAINTS_URL: hub.complaints.url,
      ESCALATION_URL: hub.escalation.url,
      WEBHOOKS_URL: hub.webhooks.url,
      REGISTRY_URL: hub.registry.url,
      ...extraEnv,
    },
    label,
  );
}
