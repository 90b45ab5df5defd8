import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SECRET_NAMES } from '@lapor-hub/lib';
import { freePort } from './free-port';
import type { TestHub } from './hub';

const ROOT = path.resolve(__dirname, '../..');

/** A gateway running as its own OS process, from `gateway/src/main.ts` as deployed. */
export interface GatewayProcess {
  url: string;
  /** What it wrote lately, for a failure's message. */
  output(): string;
  /** SIGTERM, as a deployment stops it (SIGKILL after 10 s); resolves with how it ended. */
  stop(): Promise<number | string | null>;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * A gateway process in front of a test hub's registry (production mode, the supergraph the
 * registry serves, asked for every `SUPERGRAPH_POLL_INTERVAL_MS`), with the hub's token and
 * credential secrets and random others; `env` adds to or overrides its environment. Resolves once
 * its `GET /health` answers.
 */
export async function startGatewayProcess(hub: TestHub, env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...Object.fromEntries(SECRET_NAMES.map((name) => [name, randomBytes(32).toString('base64url')])),
      JWT_SECRET: decode(hub.secrets.jwtSecret),
      // The hub's keys: its subgraphs trust the gateway's public key and answer the service key.
      GATEWAY_SIGNING_KEY: JSON.stringify(hub.secrets.gatewayKeys.current),
      SERVICE_SIGNING_KEY: JSON.stringify(hub.secrets.serviceKeys.current),
      REGISTRY_URL: hub.subgraphs.registry.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ended = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const ending = await ended;
    clearTimeout(timer);
    return ending;
  };
  const deadline = Date.now() + 60_000;
  while (!(await answers(`http://127.0.0.1:${port}/health`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The gateway process did not start (exit ${child.exitCode}):\n${output.slice(-4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: `http://127.0.0.1:${port}/graphql`, output: () => output, stop };
}
