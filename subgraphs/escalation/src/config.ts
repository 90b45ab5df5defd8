import { z } from 'zod';
import { DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, envInteger, envWorkers, parseEnv, serviceSecretsFromEnv } from '@lapor-hub/lib';
import type { EscalationServiceOptions } from './server';

const schema = z.object({
  DATABASE_URL: z.string(),
  AGENCIES_URL: z.url().default(defaultSubgraphUrl('agencies')),
  COMPLAINTS_URL: z.url().default(defaultSubgraphUrl('complaints')),
  WEBHOOKS_URL: z.url().default(defaultSubgraphUrl('webhooks')),
  PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.escalation),
  WORKERS: envWorkers(),
});

export interface EscalationConfig {
  service: EscalationServiceOptions;
  workers: number;
}

/**
 * The escalation service started on its own (`src/main.ts`): `DATABASE_URL` (required; the
 * SLA-breach sweep is scheduled there with pg-boss), `AGENCIES_URL`, `COMPLAINTS_URL`, `WEBHOOKS_URL`, `PORT`,
 * `WORKERS`, and its keys: `SERVICE_SIGNING_KEY`, `GATEWAY_JWKS_URL` or `GATEWAY_SIGNING_KEY` (see
 * `serviceSecretsFromEnv`).
 */
export function loadEscalationConfig(env: NodeJS.ProcessEnv): EscalationConfig {
  const config = parseEnv(schema, env);
  return {
    service: {
      databaseUrl: config.DATABASE_URL,
      port: config.PORT,
      agenciesUrl: config.AGENCIES_URL,
      complaintsUrl: config.COMPLAINTS_URL,
      webhooksUrl: config.WEBHOOKS_URL,
      secrets: serviceSecretsFromEnv(env),
      slaSweep: { mode: 'pg-boss', databaseUrl: config.DATABASE_URL },
    },
    workers: config.WORKERS,
  };
}
