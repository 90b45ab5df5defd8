import { authSecretsFromEnv, requiredEnv, runService } from '@lapor-hub/lib';
import { startBimaPuprSubgraph } from './server';

runService('bima-pupr', () =>
  startBimaPuprSubgraph({ databaseUrl: requiredEnv('DATABASE_URL'), secrets: authSecretsFromEnv(), port: Number(process.env.PORT ?? 4101) }),
);
