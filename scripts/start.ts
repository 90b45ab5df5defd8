import path from 'node:path';
import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { reporterTokenSecretFromEnv, startComplaintsService } from '@lapor-hub/complaints/src/server';
import { startEscalationService } from '@lapor-hub/escalation/src/server';
import { abuseOptionsFromEnv, subgraphTransportFromEnv } from '@lapor-hub/gateway/src/config';
import { startGateway } from '@lapor-hub/gateway/src/server';
import {
  authSecretsFromEnv,
  DEFAULT_SUBGRAPH_PORTS,
  logger,
  readCommittedSupergraph,
  SUBGRAPH_NAMES,
  type SubgraphName,
} from '@lapor-hub/lib';
import { startEmbeddedPostgres } from '@lapor-hub/lib/embedded';

// `npm start`: the whole hub in one process. With DATABASE_URL, every subgraph uses that server
// (each in its own schema); without it, each gets an embedded PostgreSQL kept under DATA_DIR.
async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const secrets = authSecretsFromEnv();

  const databases = {} as Record<SubgraphName, { url: string; poolMax?: number }>;
  for (const name of SUBGRAPH_NAMES) {
    if (process.env.DATABASE_URL) {
      databases[name] = { url: process.env.DATABASE_URL };
    } else {
      const embedded = await startEmbeddedPostgres({ dataDir: path.resolve(process.env.DATA_DIR ?? '.data', name) });
      stops.unshift(embedded.stop);
      databases[name] = { url: embedded.url, poolMax: 1 };
    }
  }
  if (!process.env.DATABASE_URL) logger.info({ dataDir: process.env.DATA_DIR ?? '.data' }, 'using the embedded PostgreSQL');

  const serviceOptions = (name: SubgraphName) => ({
    databaseUrl: databases[name].url,
    poolMax: databases[name].poolMax,
    secrets,
    port: port(`${name.toUpperCase()}_PORT`, DEFAULT_SUBGRAPH_PORTS[name]),
  });
  const agencies = await startAgenciesService(serviceOptions('agencies'));
  stops.unshift(agencies.stop);
  const complaints = await startComplaintsService({
    ...serviceOptions('complaints'),
    agenciesUrl: agencies.url,
    reporterTokenSecret: reporterTokenSecretFromEnv(),
    sweep: process.env.DATABASE_URL ? { mode: 'pg-boss', databaseUrl: process.env.DATABASE_URL } : { mode: 'timer' },
  });
  stops.unshift(complaints.stop);
  const escalation = await startEscalationService({
    ...serviceOptions('escalation'),
    agenciesUrl: agencies.url,
    complaintsUrl: complaints.url,
    slaSweep: process.env.DATABASE_URL ? { mode: 'pg-boss', databaseUrl: process.env.DATABASE_URL } : { mode: 'timer' },
  });
  stops.unshift(escalation.stop);
  const gateway = await startGateway({
    ...abuseOptionsFromEnv(),
    ...subgraphTransportFromEnv(),
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: { agencies: agencies.url, complaints: complaints.url, escalation: escalation.url },
    secrets,
    port: port('PORT', 4000),
    host: process.env.HOST ?? '0.0.0.0',
  });
  stops.unshift(gateway.stop);
  console.log(`LAPOR! Hub ready: ${gateway.url.replace('0.0.0.0', 'localhost')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the hub');
    // Gateway first, databases last, so that nothing in flight loses its database.
    for (const stop of stops) await stop().catch((error) => logger.error({ err: error }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'the hub failed to start');
  process.exit(1);
});
