import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GATEWAY_CREDENTIAL_HEADER,
  generateSigningJwk,
  publicJwks,
  serviceCredentialSigner,
  signUserToken,
  type ServiceSecrets,
  type Role,
  type ServiceHandle,
  SUBGRAPH_NAMES,
  type SubgraphName,
  type Viewer,
} from '@lapor-hub/lib';
import type { TransportConfig } from '@lapor-hub/complaints/src/notifications/transports';
import { DEFAULT_ATTACHMENT_MAX_BYTES, type AttachmentSettings } from '@lapor-hub/gateway/src/attachment-storage';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { JWKS_PATH } from '@lapor-hub/gateway/src/server';
import type { HubSecrets } from '../../hub/config';
import { startHub, startHubService, type HubServiceConfig, type RunningHub } from '../../hub/start-hub';
import { createTestDatabases, sql, type TestDatabases } from './databases';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; [key: string]: unknown } }[];
  /** The gateway reports here, e.g. `valueCompletion` when a subgraph left a non-null field without a value. */
  extensions?: Record<string, unknown>;
}

export const NATIONAL_ID = 'kemenpanrb-lapor';

/** Where the links in reporters' messages point in tests (the gateway's own address is not known yet). */
export const TEST_PUBLIC_URL = 'https://lapor.test';

/** Counts the SQL statements each subgraph sends, to prove batching. */
export class SqlCounter {
  private counts: Record<SubgraphName, number> = { agencies: 0, complaints: 0, escalation: 0, webhooks: 0, registry: 0 };
  readonly statements: Record<SubgraphName, string[]> = { agencies: [], complaints: [], escalation: [], webhooks: [], registry: [] };

  hook(name: SubgraphName) {
    return (statement: string) => {
      // The outbox relays and the webhook worker poll in the background; that is no request's cost.
      // Nor is the replay guard's one claim per request (`credential_use`): it is the transport's
      // check that a credential is used once, counted by no resolver, the same for every request.
      if (/outbox_event|hub-event-relay|webhook-worker|credential_use/.test(statement)) return;
      this.counts[name]++;
      this.statements[name].push(statement);
    };
  }

  reset(): void {
    for (const name of Object.keys(this.counts) as SubgraphName[]) {
      this.counts[name] = 0;
      this.statements[name] = [];
    }
  }

  count(name: SubgraphName): number {
    return this.counts[name];
  }
}

/** The body `postGraphQL` sends, which a gateway credential for it must be signed over. */
export function graphQLBody(query: string, variables: Record<string, unknown> = {}): string {
  return JSON.stringify({ query, variables });
}

export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: graphQLBody(query, variables),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** Secrets of this test file's own, random: no test signs with a value written in the repository. */
const randomSecret = () => new TextEncoder().encode(randomBytes(32).toString('base64url'));

function randomSecrets(): HubSecrets {
  return {
    jwtSecret: randomSecret(),
    gatewayKeys: { current: generateSigningJwk() },
    serviceKeys: { current: generateSigningJwk() },
    reporterContactKey: randomSecret(),
    attachmentUrlSecret: randomSecret(),
  };
}

/** The whole hub on port 0, on this test file's own database, the gateway serving the registry's supergraph. */
export class TestHub {
  readonly secrets = randomSecrets();
  /** Signs the stop links of reporters' messages. */
  readonly linkSecret = randomSecret();
  readonly sqlCounter = new SqlCounter();
  databases!: TestDatabases;
  private running!: RunningHub;
  private config!: HubServiceConfig;

  /**
   * `sweep: 'pg-boss'` schedules the closing sweep as in production (a PostgreSQL server only).
   * `notifications` sends reporters' messages with these transports, retrying quickly (the outbox
   * swept every 100 ms); without it they are written to the outbox and left there. `attachments`
   * replaces the gateway's evidence settings (default: a fresh temporary directory, 10 MB).
   */
  static async start(options: { sweep?: 'pg-boss'; notifications?: Partial<TransportConfig>; attachments?: Partial<AttachmentSettings> } = {}): Promise<TestHub> {
    const hub = new TestHub();
    hub.databases = await createTestDatabases();
    hub.config = {
      production: false,
      secrets: hub.secrets,
      databases: { urls: hub.databases.urls, poolMax: hub.databases.poolMax },
      host: '127.0.0.1',
      ports: { gateway: 0, agencies: 0, complaints: 0, escalation: 0, webhooks: 0, registry: 0 },
      // Evidence in a directory of this test file's own, never the checkout's DATA_DIR.
      gateway: {
        attachments: {
          store: { kind: 'filesystem', directory: path.join(tmpdir(), `lapor-test-attachments-${randomBytes(6).toString('hex')}`) },
          maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES,
          ...options.attachments,
        },
      },
      // Node subgraphs run on loopback in tests; a gateway picks up a new supergraph within a fifth of a second.
      registry: { allowPrivateUrls: true, probeTimeoutMs: 2000, pollIntervalMs: 200 },
      sweeps: {
        complaints: options.sweep ? { mode: 'pg-boss', databaseUrl: hub.databases.urls.complaints, pollingIntervalSeconds: 1 } : { mode: 'off' },
        escalation: { mode: 'off' },
      },
      onQuery: (name) => hub.sqlCounter.hook(name),
      relay: { everyMs: 100, retryBaseMs: 100, retryMaxMs: 400 },
      notifications: options.notifications && {
        transports: { mailFrom: 'LAPOR! <no-reply@lapor.test>', outboxDir: path.join(tmpdir(), `lapor-test-outbox-${randomBytes(6).toString('hex')}`), ...options.notifications },
        publicUrl: TEST_PUBLIC_URL,
        linkSecret: hub.linkSecret,
        schedule: { mode: 'timer', everyMs: 100 },
        retryBaseMs: 100,
        retryMaxMs: 400,
      },
      hubEventRelay: { everyMs: 100, retryBaseMs: 100, retryMaxMs: 400 },
      webhooks: {
        urlPolicy: { httpsOnly: false, allowPrivate: true },
        secretKeys: { current: randomSecret(), previous: [] },
        // Retries and timeouts in tenths of what they are in production, so that a test sees several.
        retry: { firstDelayMs: 200, maxDelayMs: 1000 },
        worker: { timeoutMs: 1000, idleMs: 500 },
      },
    };
    hub.running = await startHub(hub.config);
    return hub;
  }

  /** The hub's wiring, to start one more service (a second gateway) as `startHub` starts each. */
  get serviceConfig(): HubServiceConfig {
    return this.config;
  }

  get gateway(): ServiceHandle {
    return this.running.services.gateway;
  }

  get subgraphs(): Record<SubgraphName, ServiceHandle> {
    return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, this.running.services[name]])) as Record<SubgraphName, ServiceHandle>;
  }

  /** Starts one more replica of a subgraph on this hub's database; with `port`, where it ran before (a restart). */
  startSubgraph(name: SubgraphName, port = 0): Promise<ServiceHandle> {
    const upstream = Object.fromEntries(SUBGRAPH_NAMES.map((other) => [other, this.running.services[other].url]));
    return startHubService(name, { ...this.config, ports: { ...this.config.ports, [name]: port } }, upstream);
  }

  /** Stops a subgraph, runs `whileDown`, then starts it again on the same port. */
  async withSubgraphDown(name: SubgraphName, whileDown: () => Promise<void>): Promise<void> {
    const port = Number(new URL(this.subgraphs[name].url).port);
    await this.running.services[name].stop();
    try {
      await whileDown();
    } finally {
      this.running.services[name] = await this.startSubgraph(name, port);
    }
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    await this.databases?.drop();
  }

  token(role: Role, agencyId: string, sub = `test-${role.toLowerCase()}`): Promise<string> {
    return signUserToken({ sub, role, agencyId }, this.secrets.jwtSecret);
  }

  /** A query through the gateway, as a client would send it. */
  async query<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(this.gateway.url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  }

  /** What a hub subgraph started beside this hub holds: the services' keys and the gateway's public keys. */
  get serviceSecrets(): ServiceSecrets {
    return { serviceKeys: this.secrets.serviceKeys, gatewayPublicKeys: { jwks: publicJwks(this.secrets.gatewayKeys) } };
  }

  /** The gateway's JWKS, which a node's subgraph verifies credentials against. */
  get jwksUrl(): string {
    return new URL(JWKS_PATH, this.gateway.url).toString();
  }

  /**
   * The credential a request to the subgraph `audience` carries for `viewer`: the gateway's for an
   * officer or the public, the calling service's own for a hub service.
   */
  credential(audience: string, viewer: Viewer, body: string): Promise<string> {
    if (viewer.kind === 'service') return serviceCredentialSigner(this.secrets.serviceKeys, viewer.name)(audience, body);
    return gatewayCredentialSigner(this.secrets.gatewayKeys)(audience, viewer, body);
  }

  /** A request straight to a subgraph, carrying a credential for `viewer` (see `credential`). */
  async querySubgraph<T = any>(name: SubgraphName, query: string, variables: Record<string, unknown> = {}, viewer: Viewer = { kind: 'public' }) {
    const credential = await this.credential(name, viewer, graphQLBody(query, variables));
    return postGraphQL<T>(this.subgraphs[name].url, query, variables, { [GATEWAY_CREDENTIAL_HEADER]: credential });
  }

  /** SQL on a subgraph's database, outside the services. */
  sql<T = Record<string, unknown>>(name: SubgraphName, text: string, params: unknown[] = []): Promise<T[]> {
    return sql<T>(this.databases.urls[name], text, params);
  }
}
