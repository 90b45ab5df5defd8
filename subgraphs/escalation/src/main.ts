import { authSecretsFromEnv, DEFAULT_SUBGRAPH_PORTS, requiredEnv, runService } from '@lapor-hub/lib';
import { startEscalationService } from './server';

runService('escalation', () =>
  startEscalationService({
    databaseUrl: requiredEnv('DATABASE_URL'),
    secrets: authSecretsFromEnv(),
    port: Number(process.env.PORT ?? DEFAULT_SUBGRAPH_PORTS.escalation),
  }),
);
