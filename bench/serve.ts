import './env';
import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { reporterTokenSecretFromEnv, startComplaintsService } from '@lapor-hub/complaints/src/server';
import { startEscalationService } from '@lapor-hub/escalation/src/server';
import { subgraphTransportFromEnv } from '@lapor-hub/gateway/src/config';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { authSecretsFromEnv, readCommittedSupergraph, requiredEnv, type AuthSecrets, type ServiceHandle, type SubgraphName } from '@lapor-hub/lib';

/**
 * The bench's hub wiring, all of it: one service per child process (below), and the whole hub in
 * the calling process (`startInProcessHub`, for the statement count and the generator's schemas).
 *
 * One hub service in its own process, for `bench/run.ts`: `node --import tsx bench/serve.ts <name>`
 * with DATABASE_URL (subgraphs), AGENCIES_URL / COMPLAINTS_URL / ESCALATION_URL as the service
 * needs them. Port 0; prints `LAPOR_BENCH_READY <url>` once it serves. The same start functions and
 * defaults as `npm start` and each service's `main.ts` (pool of 10), except that the scheduled
 * sweeps (closing, SLA breaches) are off: they run once a minute in production, and would both
 * compete with the measured requests and change the generated data between runs.
 */
async function start(name: string): Promise<ServiceHandle> {
  const secrets = authSecretsFromEnv();
  switch (name) {
    case 'agencies':
      return startAgenciesService({ databaseUrl: requiredEnv('DATABASE_URL'), secrets, port: 0 });
    case 'complaints':
      return startComplaintsService({
        databaseUrl: requiredEnv('DATABASE_URL'),
        secrets,
        port: 0,
        agenciesUrl: requiredEnv('AGENCIES_URL'),
        reporterTokenSecret: reporterTokenSecretFromEnv(),
        sweep: { mode: 'off' },
      });
    case 'escalation':
      return startEscalationService({
        databaseUrl: requiredEnv('DATABASE_URL'),
        secrets,
        port: 0,
        agenciesUrl: requiredEnv('AGENCIES_URL'),
        complaintsUrl: requiredEnv('COMPLAINTS_URL'),
        slaSweep: { mode: 'off' },
      });
    case 'gateway':
      return startGateway({
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls: {
          agencies: requiredEnv('AGENCIES_URL'),
          complaints: requiredEnv('COMPLAINTS_URL'),
          escalation: requiredEnv('ESCALATION_URL'),
        },
        secrets,
        port: 0,
        host: '127.0.0.1',
        ...subgraphTransportFromEnv(),
      });
    default:
      throw new Error(`unknown service ${name}`);
  }
}

export interface InProcessHubOptions {
  databaseUrl: string;
  secrets: AuthSecrets;
  poolMax?: number;
  /** Every SQL statement a subgraph sends (with placeholders). */
  onQuery?: (subgraph: SubgraphName) => (sql: string) => void;
  /** Also the gateway (default: the subgraphs only). */
  gateway?: boolean;
}

export interface InProcessHub {
  urls: Record<SubgraphName, string>;
  gatewayUrl: string | null;
  /** Stops every service, the last started first. */
  stop(): Promise<void>;
}

/** The hub in this process on port 0, the sweeps off; each service starts after those it calls. */
export async function startInProcessHub(options: InProcessHubOptions): Promise<InProcessHub> {
  const { databaseUrl, secrets, poolMax } = options;
  const services: ServiceHandle[] = [];
  const stop = async () => {
    for (const service of services.splice(0).reverse()) await service.stop().catch(() => undefined);
  };
  try {
    const agencies = await startAgenciesService({ databaseUrl, secrets, port: 0, poolMax, onQuery: options.onQuery?.('agencies') });
    services.push(agencies);
    const complaints = await startComplaintsService({
      databaseUrl,
      secrets,
      port: 0,
      poolMax,
      agenciesUrl: agencies.url,
      reporterTokenSecret: reporterTokenSecretFromEnv(),
      sweep: { mode: 'off' },
      onQuery: options.onQuery?.('complaints'),
    });
    services.push(complaints);
    const escalation = await startEscalationService({
      databaseUrl,
      secrets,
      port: 0,
      poolMax,
      agenciesUrl: agencies.url,
      complaintsUrl: complaints.url,
      slaSweep: { mode: 'off' },
      onQuery: options.onQuery?.('escalation'),
    });
    services.push(escalation);
    const urls = { agencies: agencies.url, complaints: complaints.url, escalation: escalation.url };
    let gatewayUrl: string | null = null;
    if (options.gateway) {
      const gateway = await startGateway({ supergraphSdl: readCommittedSupergraph(), subgraphUrls: urls, secrets, port: 0 });
      services.push(gateway);
      gatewayUrl = gateway.url;
    }
    return { urls, gatewayUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (require.main === module) serveOne(process.argv[2] ?? '');

function serveOne(name: string): void {
  start(name).then(
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
