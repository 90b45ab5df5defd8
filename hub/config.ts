import path from 'node:path';
import { z } from 'zod';
import { reporterNotificationsFromEnv } from '@lapor-hub/complaints/src/notifications/config';
import type { ReporterNotificationsOptions } from '@lapor-hub/complaints/src/services/notify-reporters';
import type { RelayOptions } from '@lapor-hub/escalation/src/services/outbox-relay';
import { loadGatewayConfig } from '@lapor-hub/gateway/src/config';
import type { GatewayOptions } from '@lapor-hub/gateway/src/server';
import { sessionOptionsFromEnv } from '@lapor-hub/gateway/src/session';
import { webhookSecretKeys, webhookUrlPolicy } from '@lapor-hub/webhooks/src/config';
import type { WebhooksServiceOptions } from '@lapor-hub/webhooks/src/server';
import {
  authSecretsFromEnv,
  DEFAULT_DATA_DIR,
  DEFAULT_SUBGRAPH_PORTS,
  envBoolean,
  envInteger,
  parseEnv,
  readCommittedSupergraph,
  secretsFromEnv,
  SUBGRAPH_NAMES,
  type AuthSecrets,
  type SubgraphName,
} from '@lapor-hub/lib';
import type { HubEventRelayOptions, JobSchedule } from '@lapor-hub/lib/database';

export type HubServiceName = SubgraphName | 'gateway';

/** Every secret of the hub: the gateway's (`AuthSecrets`) and the complaints service's. */
export interface HubSecrets extends AuthSecrets {
  reporterContactKey: Uint8Array;
  /** Signs the evidence links the complaints service makes and the gateway serves. */
  attachmentUrlSecret: Uint8Array;
}

/** Each subgraph's database; `poolMax` 1 on the embedded one. */
export interface HubDatabaseUrls {
  urls: Record<SubgraphName, string>;
  poolMax?: number;
}

/** The whole hub in one process: what `startHub` starts, and how. */
export interface HubConfig {
  production: boolean;
  secrets: HubSecrets;
  /** A PostgreSQL database per subgraph, or an embedded PostgreSQL per subgraph kept under `embeddedDir`. */
  databases: HubDatabaseUrls | { embeddedDir: string };
  /** Where the gateway binds (the subgraphs bind 127.0.0.1); port 0 picks a free one. */
  host: string;
  ports: Record<HubServiceName, number>;
  /** The gateway's limits, transport, token policy and CORS allowlist. */
  gateway: Omit<GatewayOptions, 'supergraphSdl' | 'registry' | 'subgraphUrls' | 'secrets' | 'port' | 'host' | 'production' | 'allowPrivateNodeSubgraphUrls'>;
  /** The schema registry: which node subgraph URLs it takes (and the gateway connects to), and how often the gateway asks it for a new supergraph. */
  registry: { allowPrivateUrls: boolean; probeTimeoutMs?: number; pollIntervalMs?: number };
  /** How the closing sweep (complaints) and the SLA-breach sweep (escalation) run. */
  sweeps: Record<'complaints' | 'escalation', JobSchedule>;
  /** How the complaints service sends reporters' messages; without it they wait in its outbox. */
  notifications?: ReporterNotificationsOptions;
  /** Observes every SQL statement a subgraph sends (tests and the benchmark count them). */
  onQuery?: (name: SubgraphName) => (sql: string) => void;
  /** The escalation outbox relay's pace (tests make it quick). */
  relay?: RelayOptions;
  /** The pace of the relays that send the complaints and escalation services' hub events to the webhooks service (tests make it quick). */
  hubEventRelay?: HubEventRelayOptions;
  /** Which receivers' URLs are allowed, and how deliveries are scheduled and retried. */
  webhooks: Pick<WebhooksServiceOptions, 'urlPolicy' | 'secretKeys' | 'deliveryJob' | 'retry' | 'worker'>;
}

const schema = z.object({
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  HOST: z.string().default('0.0.0.0'),
  PORT: envInteger(4000),
  AGENCIES_PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.agencies),
  COMPLAINTS_PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.complaints),
  ESCALATION_PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.escalation),
  REGISTRY_PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.registry),
  SUBGRAPH_ALLOW_PRIVATE_URLS: envBoolean(false),
  SUPERGRAPH_POLL_INTERVAL_MS: envInteger(2000, 100),
  WEBHOOKS_PORT: envInteger(DEFAULT_SUBGRAPH_PORTS.webhooks),
});

/** The gateway's own settings (gateway/src/config.ts); where it and the subgraphs listen is the hub's. */
function gatewaySettings(env: NodeJS.ProcessEnv): HubConfig['gateway'] {
  const {
    port: _port,
    host: _host,
    production: _production,
    subgraphUrls: _urls,
    registry: _registry,
    allowPrivateNodeSubgraphUrls: _allowPrivate,
    ...settings
  } = loadGatewayConfig(env, readCommittedSupergraph());
  return { ...settings, sessions: sessionOptionsFromEnv(env) };
}

/**
 * `npm start`'s configuration. With `DATABASE_URL`, every subgraph uses that server (each in its own
 * schema) and the sweeps are scheduled there with pg-boss; without it, each subgraph gets an
 * embedded PostgreSQL under `DATA_DIR`, swept by a timer (the webhook deliveries likewise). `PORT`
 * and `HOST` are the gateway's; `AGENCIES_PORT`, `COMPLAINTS_PORT`, `ESCALATION_PORT`, `WEBHOOKS_PORT`,
 * `REGISTRY_PORT` the subgraphs'. The gateway serves the registry's supergraph, asked for every
 * `SUPERGRAPH_POLL_INTERVAL_MS` (default 2000); `SUBGRAPH_ALLOW_PRIVATE_URLS=true` lets a node
 * subgraph's URL be loopback or private, `WEBHOOK_ALLOW_PRIVATE_URLS=true` a webhook's. The secrets come from the
 * environment or `DATA_DIR/secrets.json` (see `secretsFromEnv`); the gateway's limits from its
 * own variables (gateway/src/config.ts); reporters' messages from theirs (see
 * `reporterNotificationsFromEnv`: without SMTP_URL or SMS_GATEWAY_URL, files under DATA_DIR/outbox).
 */
export function loadHubConfig(env: NodeJS.ProcessEnv): HubConfig {
  const config = parseEnv(schema, env);
  const auth = authSecretsFromEnv(env);
  const complaints = secretsFromEnv(['REPORTER_CONTACT_KEY', 'ATTACHMENT_URL_SECRET'], env);
  const sweep: JobSchedule = config.DATABASE_URL ? { mode: 'pg-boss', databaseUrl: config.DATABASE_URL } : { mode: 'timer' };
  return {
    production: config.NODE_ENV === 'production',
    secrets: { ...auth, reporterContactKey: complaints.REPORTER_CONTACT_KEY, attachmentUrlSecret: complaints.ATTACHMENT_URL_SECRET },
    databases: config.DATABASE_URL
      ? { urls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, config.DATABASE_URL])) as Record<SubgraphName, string> }
      : { embeddedDir: path.resolve(config.DATA_DIR) },
    host: config.HOST,
    ports: {
      gateway: config.PORT,
      agencies: config.AGENCIES_PORT,
      complaints: config.COMPLAINTS_PORT,
      escalation: config.ESCALATION_PORT,
      webhooks: config.WEBHOOKS_PORT,
      registry: config.REGISTRY_PORT,
    },
    gateway: gatewaySettings(env),
    registry: { allowPrivateUrls: config.SUBGRAPH_ALLOW_PRIVATE_URLS, pollIntervalMs: config.SUPERGRAPH_POLL_INTERVAL_MS },
    sweeps: { complaints: sweep, escalation: sweep },
    // The messages' links name the gateway as this hub serves it, unless PUBLIC_URL says otherwise.
    notifications: reporterNotificationsFromEnv({ PUBLIC_URL: `http://localhost:${config.PORT}`, ...env }, sweep),
    webhooks: { urlPolicy: webhookUrlPolicy(env), secretKeys: webhookSecretKeys(env), deliveryJob: sweep },
  };
}
