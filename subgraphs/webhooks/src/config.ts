import { z } from 'zod';
import { DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, envBoolean, envInteger, envWorkers, parseEnv, secretsFromEnv, serviceSecretsFromEnv } from '@lapor-hub/lib';
import type { WebhookSecretKeys } from './domain/secret-sealing';
import type { UrlPolicy } from './domain/url-policy';
import type { WebhooksServiceOptions } from './server';

const schema = z.object({
  DATABASE_URL: z.string(),
  AGENCIES_URL: z.url().default(defaultSubgraphUrl('agencies')),
  PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.webhooks),
  WORKERS: envWorkers(),
  NODE_ENV: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: envBoolean(false),
});

export interface WebhooksConfig {
  service: WebhooksServiceOptions;
  workers: number;
}

/** Receivers' URLs: https in production; loopback and private addresses only when allowed. */
export function webhookUrlPolicy(env: NodeJS.ProcessEnv): UrlPolicy {
  const config = parseEnv(schema.pick({ NODE_ENV: true, WEBHOOK_ALLOW_PRIVATE_URLS: true }), env);
  return { httpsOnly: config.NODE_ENV === 'production', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS };
}

/**
 * What seals the subscriptions' signing secrets: `WEBHOOK_SECRET_KEY` (see `secretsFromEnv`: required
 * in production, generated under DATA_DIR otherwise) and `WEBHOOK_SECRET_KEY_PREVIOUS`, the keys it
 * replaced (comma-separated), which open what is still sealed under them until the service has
 * sealed it again at its start.
 */
export function webhookSecretKeys(env: NodeJS.ProcessEnv): WebhookSecretKeys {
  const { WEBHOOK_SECRET_KEY_PREVIOUS } = parseEnv(z.object({ WEBHOOK_SECRET_KEY_PREVIOUS: z.string().optional() }), env);
  const { WEBHOOK_SECRET_KEY } = secretsFromEnv(['WEBHOOK_SECRET_KEY'], env);
  const previous = (WEBHOOK_SECRET_KEY_PREVIOUS ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0);
  return { current: WEBHOOK_SECRET_KEY, previous: previous.map((key) => new TextEncoder().encode(key)) };
}

/**
 * The webhooks service started on its own (`src/main.ts`): `DATABASE_URL` (required; the delivery
 * job is scheduled there with pg-boss), `AGENCIES_URL`, `PORT`, `WORKERS`, its keys
 * (`SERVICE_SIGNING_KEY`, `GATEWAY_JWKS_URL` or `GATEWAY_SIGNING_KEY`: see `serviceSecretsFromEnv`), `WEBHOOK_SECRET_KEY` and `WEBHOOK_SECRET_KEY_PREVIOUS` (`webhookSecretKeys`),
 * `NODE_ENV=production` (https receivers only) and `WEBHOOK_ALLOW_PRIVATE_URLS`
 * (`true`: loopback and private receivers, for development and tests).
 */
export function loadWebhooksConfig(env: NodeJS.ProcessEnv): WebhooksConfig {
  const config = parseEnv(schema, env);
  return {
    service: {
      databaseUrl: config.DATABASE_URL,
      port: config.PORT,
      agenciesUrl: config.AGENCIES_URL,
      secrets: serviceSecretsFromEnv(env),
      urlPolicy: webhookUrlPolicy(env),
      secretKeys: webhookSecretKeys(env),
      deliveryJob: { mode: 'pg-boss', databaseUrl: config.DATABASE_URL },
    },
    workers: config.WORKERS,
  };
}
