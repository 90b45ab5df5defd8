import './env';
import { subgraphTransportFromEnv } from '@lapor-hub/gateway/src/config';
import { SUBGRAPH_NAMES, type SubgraphName } from '@lapor-hub/lib';
import { loadHubConfig, type HubServiceName } from '../hub/config';
import { startHub, startHubService, type HubServiceConfig } from '../hub/start-hub';

/**
 * The bench's hub, wired as `npm start` wires it (`hub/start-hub.ts`): one service per child process
 * (below), and the whole hub in the calling process (`startInProcessHub`, for the statement count
 * and the generator's schemas).
 *
 * One hub service in its own process, for `bench/run.ts`: `node --require tsx/cjs bench/serve.ts <name>`
 * with DATABASE_URL, and AGENCIES_URL / COMPLAINTS_URL / ESCALATION_URL as the service needs them.
 * Prints `LAPOR_BENCH_READY <url>` once it serves.
 */

/**
 * The hub's configuration for the benchmark: the secrets and gateway transport of `npm start`
 * from the environment, every service on port 0 of 127.0.0.1 and on the benchmark's database (pool
 * of 10, as deployed). Without the gateway's abuse limits (the load would trip the submit limit)
 * and without the scheduled sweeps (closing, SLA breaches, the webhook deliveries' catch-up): they run once a minute in production,
 * and would both compete with the measured requests and change the generated data between runs.
 * Webhook receivers may be plain http on loopback: the delivery-lag receiver runs in the runner
 * (each delivery still resolves and checks its address as in production).
 */
function benchHubConfig(databaseUrl: string, poolMax?: number): HubServiceConfig {
  const config = loadHubConfig({ ...process.env, DATABASE_URL: databaseUrl });
  return {
    ...config,
    databases: { urls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, databaseUrl])) as Record<SubgraphName, string>, poolMax },
    host: '127.0.0.1',
    ports: { gateway: 0, agencies: 0, complaints: 0, escalation: 0, webhooks: 0, registry: 0 },
    gateway: subgraphTransportFromEnv(process.env),
    sweeps: { complaints: { mode: 'off' }, escalation: { mode: 'off' } },
    webhooks: { ...config.webhooks, urlPolicy: { httpsOnly: false, allowPrivate: true }, deliveryJob: { mode: 'off' } },
  };
}

export interface InProcessHubOptions {
  databaseUrl: string;
  poolMax?: number;
  /** Every SQL statement a subgraph sends (with placeholders). */
  onQuery?: (subgraph: SubgraphName) => (sql: string) => void;
}

export interface InProcessHub {
  gatewayUrl: string;
  /** Stops every service, the gateway first. */
  stop(): Promise<void>;
}

/** The hub in this process on port 0, the sweeps off; each service starts after those it calls. */
export async function startInProcessHub(options: InProcessHubOptions): Promise<InProcessHub> {
  const hub = await startHub({ ...benchHubConfig(options.databaseUrl, options.poolMax), onQuery: options.onQuery });
  return { gatewayUrl: hub.url, stop: hub.stop };
}

if (require.main === module) serveOne(process.argv[2] ?? '');

function serveOne(name: string): void {
  const upstream = Object.fromEntries(SUBGRAPH_NAMES.map((subgraph) => [subgraph, process.env[`${subgraph.toUpperCase()}_URL`]]));
  Promise.resolve()
    .then(() => {
      if (![...SUBGRAPH_NAMES, 'gateway'].includes(name)) throw new Error(`unknown service ${name}`);
      if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set');
      return startHubService(name as HubServiceName, benchHubConfig(process.env.DATABASE_URL), upstream);
    })
    .then(
      (service) => {
        process.stdout.write(`LAPOR_BENCH_READY ${service.url}\n`);
        const stop = () => {
          service.stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
      (error) => {
        process.stderr.write(`${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
