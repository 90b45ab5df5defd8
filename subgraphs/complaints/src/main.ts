import { authSecretsFromEnv, DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, requiredEnv, runService } from '@lapor-hub/lib';
import { reporterTokenSecretFromEnv, startComplaintsService } from './server';

runService('complaints', () =>
  startComplaintsService({
    databaseUrl: requiredEnv('DATABASE_URL'),
    secrets: authSecretsFromEnv(),
    agenciesUrl: process.env.AGENCIES_URL ?? defaultSubgraphUrl('agencies'),
    reporterTokenSecret: reporterTokenSecretFromEnv(),
    port: Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.complaints),
  }),
);
