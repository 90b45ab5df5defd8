import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { generateSigningJwk, SECRET_NAMES, SIGNING_KEY_NAMES, SUBGRAPH_NAMES } from '@lapor-hub/lib';
import { freePort } from '../../support/free-port';

export type ServiceName = 'agencies' | 'complaints' | 'escalation' | 'webhooks' | 'registry' | 'gateway';

const ROOT = path.resolve(__dirname, '../../..');
const ENTRY_POINTS: Record<ServiceName, string> = {
  agencies: 'subgraphs/agencies/src/main.ts',
  complaints: 'subgraphs/complaints/src/main.ts',
  escalation: 'subgraphs/escalation/src/main.ts',
  webhooks: 'subgraphs/webhooks/src/main.ts',
  registry: 'subgraphs/registry/src/main.ts',
  gateway: 'gateway/src/main.ts',
};

const randomSecret = () => randomBytes(32).toString('base64url');

/** The secrets every process of the hub shares, as a deployment sets them (random for each run). */
export const HUB_SECRETS: Record<string, string> = {
  ...Object.fromEntries(SECRET_NAMES.map((name) => [name, randomSecret()])),
  ...Object.fromEntries(SIGNING_KEY_NAMES.map((name) => [name, JSON.stringify(generateSigningJwk())])),
};

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The whole hub as it is deployed: each service its own process started from its own `main.ts`
 * (production mode, all secrets set), on fixed ports so that a killed process can be started
 * again where the others expect it. What the fault tests kill, restart and load.
 */
export class HubProcesses {
  private readonly children = new Map<ServiceName, ChildProcess>();
  private readonly ports = {} as Record<ServiceName, number>;
  private readonly output = new Map<ServiceName, string[]>();

  private constructor(
    private readonly databaseUrl: string,
    private readonly extraEnv: NodeJS.ProcessEnv,
  ) {}

  static async start(databaseUrl: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<HubProcesses> {
    const hub = new HubProcesses(databaseUrl, extraEnv);
    for (const name of Object.keys(ENTRY_POINTS) as ServiceName[]) hub.ports[name] = await freePort();
    try {
      // In dependency order: each service's migrations run before anyone calls it.
      for (const name of [...SUBGRAPH_NAMES, 'gateway'] as ServiceName[]) await hub.startService(name);
    } catch (error) {
      await hub.stop();
      throw error;
    }
    return hub;
  }

  /** Where a service serves GraphQL (the gateway's is the hub's public endpoint). */
  url(name: ServiceName, route = '/graphql'): string {
    return `http://127.0.0.1:${this.ports[name]}${route}`;
  }

  private env(name: ServiceName): NodeJS.ProcessEnv {
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((subgraph) => [`${subgraph.toUpperCase()}_URL`, this.url(subgraph)]));
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
      SERVICE_NAME: name,
      DATABASE_URL: this.databaseUrl,
      PORT: String(this.ports[name]),
      HOST: '127.0.0.1',
      ...HUB_SECRETS,
      ...urls,
      ...this.extraEnv,
    };
  }

  /** Starts one service from its `main.ts` and waits until its `GET /health` answers. */
  async startService(name: ServiceName): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS[name]], {
      cwd: ROOT,
      env: this.env(name),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    this.output.set(name, lines);
    const keep = (chunk: Buffer) => {
      lines.push(chunk.toString());
      if (lines.length > 200) lines.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.set(name, child);
    const health = this.url(name, '/health');
    const deadline = Date.now() + 60_000;
    while (!(await answers(health))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${name} did not start (exit ${child.exitCode}):\n${lines.join('').slice(-4_000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Kills a service without warning (SIGKILL: no shutdown hook runs) and waits until it is gone. */
  async kill(name: ServiceName): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Whether the process started last for a service still runs. */
  alive(name: ServiceName): boolean {
    const child = this.children.get(name);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** What a service wrote lately, for a failure's message. */
  recentOutput(name: ServiceName): string {
    return (this.output.get(name) ?? []).join('');
  }

  /**
   * Stops every process as a deployment does (SIGTERM), and after 10 s kills what still runs.
   * Returns how each process ended: a clean shutdown exits 0 on its own.
   */
  async stop(): Promise<Partial<Record<ServiceName, number | string | null>>> {
    const endings = await Promise.all(
      [...this.children.entries()].map(async ([name, child]) => {
        if (child.exitCode !== null || child.signalCode !== null) return [name, child.exitCode ?? child.signalCode] as const;
        const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const ending = await exited;
        clearTimeout(timer);
        return [name, ending] as const;
      }),
    );
    return Object.fromEntries(endings);
  }
}
