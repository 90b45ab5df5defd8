import './env';
import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { reporterTokenSecretFromEnv, startComplaintsService } from '@lapor-hub/complaints/src/server';
import { startEscalationService } from '@lapor-hub/escalation/src/server';
import { subgraphTransportFromEnv } from '@lapor-hub/gateway/src/config';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { authSecretsFromEnv, readCommittedSupergraph, requiredEnv, type ServiceHandle } from '@lapor-hub/lib';

/**
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

const name = process.argv[2] ?? '';
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
