import { z } from 'zod';
import { DEFAULT_SUBGRAPH_PORTS, envInteger, envWorkers, parseEnv, secretsFromEnv } from '@lapor-hub/lib';
import type { AgenciesServiceOptions } from './server';

const schema = z.object({
  DATABASE_URL: z.string(),
  PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.agencies),
  WORKERS: envWorkers(),
});

export interface AgenciesConfig {
  service: AgenciesServiceOptions;
  workers: number;
}

/**
 * The agencies service started on its own (`src/main.ts`): `DATABASE_URL` (required), `PORT`,
 * `WORKERS`, and `GATEWAY_SECRET` (see `secretsFromEnv`).
 */
export function loadAgenciesConfig(env: NodeJS.ProcessEnv): AgenciesConfig {
  const config = parseEnv(schema, env);
  const { GATEWAY_SECRET } = secretsFromEnv(['GATEWAY_SECRET'], env);
  return {
    service: { databaseUrl: config.DATABASE_URL, port: config.PORT, secrets: { gatewaySecret: GATEWAY_SECRET } },
    workers: config.WORKERS,
  };
}
