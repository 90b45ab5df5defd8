import { z } from 'zod';
import { DEFAULT_SUBGRAPH_PORTS, envInteger, envWorkers, parseEnv, serviceSecretsFromEnv } from '@lapor-hub/lib';
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
 * `WORKERS`, and its keys: `SERVICE_SIGNING_KEY`, `GATEWAY_JWKS_URL` or `GATEWAY_SIGNING_KEY` (see
 * `serviceSecretsFromEnv`).
 */
export function loadAgenciesConfig(env: NodeJS.ProcessEnv): AgenciesConfig {
  const config = parseEnv(schema, env);
  return {
    service: { databaseUrl: config.DATABASE_URL, port: config.PORT, secrets: serviceSecretsFromEnv(env) },
    workers: config.WORKERS,
  };
}
