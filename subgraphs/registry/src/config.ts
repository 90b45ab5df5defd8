import { z } from 'zod';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, envBoolean, envInteger, envWorkers, parseEnv, serviceSecretsFromEnv, signingKeysFromEnv } from '@lapor-hub/lib';
import type { RegistryServiceOptions } from './server';

const schema = z.object({
  DATABASE_URL: z.string(),
  PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.registry),
  WORKERS: envWorkers(),
  AGENCIES_URL: z.url().default(defaultSubgraphUrl('agencies')),
  COMPLAINTS_URL: z.url().default(defaultSubgraphUrl('complaints')),
  ESCALATION_URL: z.url().default(defaultSubgraphUrl('escalation')),
  WEBHOOKS_URL: z.url().default(defaultSubgraphUrl('webhooks')),
  /** Where the gateways reach this registry, as the supergraph records it. */
  REGISTRY_URL: z.url().default(defaultSubgraphUrl('registry')),
  SUBGRAPH_ALLOW_PRIVATE_URLS: envBoolean(false),
  SUBGRAPH_PROBE_TIMEOUT_MS: envInteger(5000, 100),
});

export interface RegistryConfig {
  service: RegistryServiceOptions;
  workers: number;
}

/**
 * The registry started on its own (`src/main.ts`): `DATABASE_URL` (required), `PORT`, `WORKERS`,
 * where the hub's subgraphs answer (`AGENCIES_URL`, `COMPLAINTS_URL`, `ESCALATION_URL`, `WEBHOOKS_URL`,
 * `REGISTRY_URL` for itself), `SUBGRAPH_ALLOW_PRIVATE_URLS`, `SUBGRAPH_PROBE_TIMEOUT_MS` and
 * its keys: `SERVICE_SIGNING_KEY` and `GATEWAY_SIGNING_KEY`, with which it asks a node's URL for its
 * SDL as the gateway would (see `serviceSecretsFromEnv`, `signingKeysFromEnv`).
 */
export function loadRegistryConfig(env: NodeJS.ProcessEnv): RegistryConfig {
  const config = parseEnv(schema, env);
  return {
    service: {
      databaseUrl: config.DATABASE_URL,
      port: config.PORT,
      secrets: serviceSecretsFromEnv(env),
      hubSubgraphUrls: {
        agencies: config.AGENCIES_URL,
        complaints: config.COMPLAINTS_URL,
        escalation: config.ESCALATION_URL,
        webhooks: config.WEBHOOKS_URL,
        registry: config.REGISTRY_URL,
      },
      allowPrivateUrls: config.SUBGRAPH_ALLOW_PRIVATE_URLS,
      signCredential: gatewayCredentialSigner(signingKeysFromEnv('GATEWAY_SIGNING_KEY', env)),
      probeTimeoutMs: config.SUBGRAPH_PROBE_TIMEOUT_MS,
    },
    workers: config.WORKERS,
  };
}
