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
  type ServiceHandle,
  SUBGRAPH_NAMES,
  type SubgraphName,
  type Viewer,
} from '@lapor-hub/lib';
import type { JobSchedule } from '@lapor-hub/lib/database';
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
    hub.complaintsSweep = options.sweep ? { mode: 'pg-boss', databaseUrl: hub.databases.urls.complaints, pollingIntervalSeconds: 1 } : { mode: 'off' };
    for (const name of SUBGRAPH_NAMES) hub.subgraphs[name] = await hub.startSubgraph(name);
    hub.gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
      secrets: hub.secrets,
    });
    return hub;
  }

  private complaintsSweep: JobSchedule = { mode: 'off' };

  /** Starts one subgraph on this hub's database; with `port`, where it ran before (a restart). */
  startSubgraph(name: SubgraphName, port?: number): Promise<ServiceHandle> {
    const common = {
      databaseUrl: this.databases.urls[name],
      poolMax: this.databases.poolMax,
      secrets: this.secrets,
      onQuery: this.sqlCounter.hook(name),
      port,
    };
    switch (name) {
      case 'agencies':
        return startAgenciesService(common);
      case 'complaints':
        return startComplaintsService({
          ...common,
          agenciesUrl: this.subgraphs.agencies.url,
          reporterTokenSecret: new TextEncoder().encode('test-reporter-secret'),
          sweep: this.complaintsSweep,
        });
      case 'escalation':
        return startEscalationService({
          ...common,
          agenciesUrl: this.subgraphs.agencies.url,
          complaintsUrl: this.subgraphs.complaints.url,
          relay: { everyMs: 100, retryBaseMs: 100, retryMaxMs: 400 },
        });
    }
  }

  /** Stops a subgraph, runs `whileDown`, then starts it again on the same port. */
  async withSubgraphDown(name: SubgraphName, whileDown: () => Promise<void>): Promise<void> {
    const port = Number(new URL(this.subgraphs[name].url).port);
    await this.subgraphs[name].stop();
    try {
      await whileDown();
    } finally {
      this.subgraphs[name] = await this.startSubgraph(name, port);
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
    const credential = await signGatewayCredential(viewer, this.secrets.gatewaySecret, graphQLBody(query, variables));
    return postGraphQL<T>(this.subgraphs[name].url, query, variables, { [GATEWAY_CREDENTIAL_HEADER]: credential });
  }

  /** SQL on a subgraph's database, outside the services. */
  sql<T = Record<string, unknown>>(name: SubgraphName, text: string, params: unknown[] = []): Promise<T[]> {
    return sql<T>(this.databases.urls[name], text, params);
  }
}
