import { authSecretsFromEnv, DEFAULT_SUBGRAPH_PORTS, requiredEnv, runService } from '@lapor-hub/lib';
import { startAgenciesService } from './server';

runService('agencies', () =>
  startAgenciesService({
    databaseUrl: requiredEnv('DATABASE_URL'),
    secrets: authSecretsFromEnv(),
    port: Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.agencies),
  }),
);
