import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { startComplaintsService } from '@lapor-hub/complaints/src/server';
import { startEscalationService } from '@lapor-hub/escalation/src/server';
import { startGateway } from '@lapor-hub/gateway/src/server';
import {
  authSecretsFromEnv,
  GATEWAY_CREDENTIAL_HEADER,
  readCommittedSupergraph,
  signGatewayCredential,
  signUserToken,
  type Role,
  type JobSchedule,
  type ServiceHandle,
  type SubgraphName,
  type Viewer,
} from '@lapor-hub/lib';
import { createTestDatabases, sql, type TestDatabases } from './databases';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; [key: string]: unknown } }[];
}

export const NATIONAL_ID = 'kemenpanrb-lapor';

/** Counts the SQL statements each subgraph sends, to prove batching. */
export class SqlCounter {
  private counts: Record<SubgraphName, number> = { agencies: 0, complaints: 0, escalation: 0 };
  readonly statements: Record<SubgraphName, string[]> = { agencies: [], complaints: [], escalation: [] };

  hook(name: SubgraphName) {
    return (statement: string) => {
      // The escalation service's outbox relay polls in the background; it is no request's cost.
      if (/outbox_event/.test(statement)) return;
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

export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The whole hub on port 0, on this test file's own database, with the committed supergraph. */
export class TestHub {
  readonly secrets = authSecretsFromEnv({ NODE_ENV: 'test', JWT_SECRET: 'test-jwt-secret', GATEWAY_SECRET: 'test-gateway-secret' });
  readonly sqlCounter = new SqlCounter();
  readonly subgraphs = {} as Record<SubgraphName, ServiceHandle>;
  gateway!: ServiceHandle;
  databases!: TestDatabases;

  /** `sweep: 'pg-boss'` schedules the closing sweep as in production (a PostgreSQL server only). */
  static async start(options: { sweep?: 'pg-boss' } = {}): Promise<TestHub> {
    const hub = new TestHub();
    hub.databases = await createTestDatabases();
    const { urls, poolMax } = hub.databases;
    hub.subgraphs.agencies = await startAgenciesService({
      databaseUrl: urls.agencies,
      poolMax,
      secrets: hub.secrets,
      onQuery: hub.sqlCounter.hook('agencies'),
    });
    hub.complaintsSweep = options.sweep ? { mode: 'pg-boss', databaseUrl: urls.complaints, pollingIntervalSeconds: 1 } : { mode: 'off' };
    hub.subgraphs.complaints = await hub.startComplaints();
    hub.subgraphs.escalation = await startEscalationService({
      databaseUrl: urls.escalation,
      poolMax,
      secrets: hub.secrets,
      onQuery: hub.sqlCounter.hook('escalation'),
      agenciesUrl: hub.subgraphs.agencies.url,
      complaintsUrl: hub.subgraphs.complaints.url,
      relay: { everyMs: 100, retryBaseMs: 100, retryMaxMs: 400 },
    });
    hub.gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
      secrets: hub.secrets,
    });
    return hub;
  }

  private complaintsSweep: JobSchedule = { mode: 'off' };

  /** Starts the complaints service; with `port`, where it ran before (a restart). */
  startComplaints(port?: number): Promise<ServiceHandle> {
    return startComplaintsService({
      databaseUrl: this.databases.urls.complaints,
      poolMax: this.databases.poolMax,
      secrets: this.secrets,
      agenciesUrl: this.subgraphs.agencies.url,
      reporterTokenSecret: new TextEncoder().encode('test-reporter-secret'),
      sweep: this.complaintsSweep,
      onQuery: this.sqlCounter.hook('complaints'),
      port,
    });
  }

  /** Stops the complaints service, runs `whileDown`, then starts it again on the same port. */
  async withComplaintsDown(whileDown: () => Promise<void>): Promise<void> {
    const port = Number(new URL(this.subgraphs.complaints.url).port);
    await this.subgraphs.complaints.stop();
    try {
      await whileDown();
    } finally {
      this.subgraphs.complaints = await this.startComplaints(port);
    }
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    for (const service of Object.values(this.subgraphs)) await service.stop();
    await this.databases?.drop();
  }

  token(role: Role, agencyId: string, sub = `test-${role.toLowerCase()}`): Promise<string> {
    return signUserToken({ sub, role, agencyId }, this.secrets.jwtSecret);
  }

  /** A query through the gateway, as a client would send it. */
  async query<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(this.gateway.url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  }

  /** A request straight to a subgraph, carrying a gateway credential for `viewer`. */
  async querySubgraph<T = any>(name: SubgraphName, query: string, variables: Record<string, unknown> = {}, viewer: Viewer = { kind: 'public' }) {
    const credential = await signGatewayCredential(viewer, this.secrets.gatewaySecret);
    return postGraphQL<T>(this.subgraphs[name].url, query, variables, { [GATEWAY_CREDENTIAL_HEADER]: credential });
  }

  /** SQL on a subgraph's database, outside the services. */
  sql<T = Record<string, unknown>>(name: SubgraphName, text: string, params: unknown[] = []): Promise<T[]> {
    return sql<T>(this.databases.urls[name], text, params);
  }
}
