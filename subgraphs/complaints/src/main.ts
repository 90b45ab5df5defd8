import { authSecretsFromEnv, DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, requiredEnv, runService } from '@lapor-hub/lib';
import { reporterTokenSecretFromEnv, startComplaintsService } from './server';

const databaseUrl = requiredEnv('DATABASE_URL');
runService('complaints', () =>
  startComplaintsService({
    databaseUrl,
    secrets: authSecretsFromEnv(),
    agenciesUrl: process.env.AGENCIES_URL ?? defaultSubgraphUrl('agencies'),
    reporterTokenSecret: reporterTokenSecretFromEnv(),
    sweep: { mode: 'pg-boss', databaseUrl },
    port: Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.complaints),
  }),
);
