import { z } from 'zod';
import { authSecretsFromEnv, envWorkers, parseEnv, readCommittedSupergraph, runService } from '@lapor-hub/lib';
import { abuseOptionsFromEnv, subgraphTransportFromEnv } from './config';
import { startGateway } from './server';

// Subgraph URLs default to those in the supergraph; AGENCIES_URL, COMPLAINTS_URL and
// ESCALATION_URL point a deployment elsewhere. Query, body and submission limits: see ./config.
runService(
  'gateway',
  () => ({ workers: parseEnv(z.object({ WORKERS: envWorkers() }), process.env).WORKERS }),
  () =>
    startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(
        (['agencies', 'complaints', 'escalation'] as const)
          .map((name) => [name, process.env[`${name.toUpperCase()}_URL`]])
          .filter(([, url]) => url),
      ),
      secrets: authSecretsFromEnv(process.env),
      port: Number(process.env.PORT ?? 4000),
      host: process.env.HOST ?? '0.0.0.0',
      ...abuseOptionsFromEnv(),
      ...subgraphTransportFromEnv(),
    }),
);
