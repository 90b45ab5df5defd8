import { authSecretsFromEnv, DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, requiredEnv, runService } from '@lapor-hub/lib';
import { startEscalationService } from './server';

const databaseUrl = requiredEnv('DATABASE_URL');
runService('escalation', () =>
  startEscalationService({
    databaseUrl,
    secrets: authSecretsFromEnv(),
    agenciesUrl: process.env.AGENCIES_URL ?? defaultSubgraphUrl('agencies'),
    complaintsUrl: process.env.COMPLAINTS_URL ?? defaultSubgraphUrl('complaints'),
    slaSweep: { mode: 'pg-boss', databaseUrl },
    port: Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.escalation),
  }),
);
