import { z } from 'zod';
import { DEFAULT_SUBGRAPH_PORTS, defaultSubgraphUrl, envInteger, envWorkers, parseEnv, secretsFromEnv, serviceSecretsFromEnv } from '@lapor-hub/lib';
import { reporterNotificationsFromEnv } from './notifications/config';
import type { ComplaintsServiceOptions } from './server';

const schema = z.object({
  DATABASE_URL: z.string(),
  AGENCIES_URL: z.url().default(defaultSubgraphUrl('agencies')),
  WEBHOOKS_URL: z.url().default(defaultSubgraphUrl('webhooks')),
  PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.complaints),
  WORKERS: envWorkers(),
});

export interface ComplaintsConfig {
  service: ComplaintsServiceOptions;
  workers: number;
}

/**
 * The complaints service started on its own (`src/main.ts`): `DATABASE_URL` (required; the closing
 * sweep is scheduled there with pg-boss), `AGENCIES_URL`, `WEBHOOKS_URL`, `PORT`, `WORKERS`, its keys
 * (`SERVICE_SIGNING_KEY`, `GATEWAY_JWKS_URL` or `GATEWAY_SIGNING_KEY`: see `serviceSecretsFromEnv`),
 * `REPORTER_CONTACT_KEY`, `ATTACHMENT_URL_SECRET` (see `secretsFromEnv`); the reporters' messages
 * from `SMTP_URL`, `MAIL_FROM`, `SMS_GATEWAY_URL`, `PUBLIC_URL` and `REPORTER_LINK_SECRET` (see
 * `reporterNotificationsFromEnv`), their outbox swept with pg-boss too.
 */
export function loadComplaintsConfig(env: NodeJS.ProcessEnv): ComplaintsConfig {
  const config = parseEnv(schema, env);
  const secrets = secretsFromEnv(['REPORTER_CONTACT_KEY', 'ATTACHMENT_URL_SECRET'], env);
  return {
    service: {
      databaseUrl: config.DATABASE_URL,
      port: config.PORT,
      agenciesUrl: config.AGENCIES_URL,
      webhooksUrl: config.WEBHOOKS_URL,
      secrets: serviceSecretsFromEnv(env),
      reporterContactKey: secrets.REPORTER_CONTACT_KEY,
      attachmentUrlSecret: secrets.ATTACHMENT_URL_SECRET,
      sweep: { mode: 'pg-boss', databaseUrl: config.DATABASE_URL },
      notifications: reporterNotificationsFromEnv(env, { mode: 'pg-boss', databaseUrl: config.DATABASE_URL }),
    },
    workers: config.WORKERS,
  };
}
