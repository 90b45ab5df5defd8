import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import { CredentialReplayGuard, GATEWAY_CREDENTIAL_HEADER, verifyGatewayCredential, type ServiceSecrets, type Viewer } from './auth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, type DatabaseOptions } from './db';
import { formatError } from './errors';
import { logger } from './logger';
import type { ServiceHandle } from './service-main';

export interface SubgraphDefinition {
  name: string;
  typeDefs: DocumentNode;
  /**
   * The subgraph's resolvers, typed by the `Resolvers` that `npm run codegen` generates from its
   * SDL; Apollo's own map type is looser and cannot take them, so the one conversion is here.
   */
  resolvers: object;
}

export interface SubgraphServerOptions<TContext> {
  definition: SubgraphDefinition;
  port?: number;
  host?: string;
  secrets: ServiceSecrets;
  /** Builds the per-request context (a forked EntityManager, fresh loaders) for a verified viewer. */
  createContext(viewer: Viewer): TContext;
  /** Answers `GET /health`: resolves when the service can serve (e.g. its database answers). */
  checkHealth(): Promise<void>;
  /** Runs after the HTTP server has stopped (close the database here). */
  onStop?(): Promise<void>;
  plugins?: ApolloServerPlugin<any>[];
}

/**
 * Serves a subgraph on `POST /graphql` (gateway credential required) and `GET /health`.
 * Port 0 picks a free port, so tests can start every service side by side.
 */
export async function startSubgraphServer<TContext extends object>(
  options: SubgraphServerOptions<TContext>,
): Promise<ServiceHandle> {
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: options.definition.typeDefs,
      resolvers: options.definition.resolvers as GraphQLResolverMap<unknown>,
    }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process's own SIGINT/SIGTERM handler stops every service in order; Apollo's handler would
    // stop this one on its own and leave the process's shutdown waiting on it.
    stopOnTerminationSignals: false,
    // Federated traces would cost every request; no Apollo Studio receives them here.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // Only the gateway calls a subgraph: no page for a browser that finds its port.
      ApolloServerPluginLandingPageDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    try {
      await options.checkHealth();
      res.json({ status: 'ok', service: options.definition.name });
    } catch (error) {
      logger.warn({ err: error, service: options.definition.name }, 'health check failed');
      res.status(503).json({ status: 'unavailable', service: options.definition.name });
    }
  });
  const replayGuard = new CredentialReplayGuard();
  const rawBodies = new WeakMap<http.IncomingMessage, Buffer>();
  app.use(
    '/graphql',
    // The credential is bound to the bytes the gateway sent, so keep them beside the parsed body.
    express.json({ limit: '1mb', verify: (req, _res, raw) => void rawBodies.set(req, raw) }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const viewer = await verifyGatewayCredential(req.header(GATEWAY_CREDENTIAL_HEADER), options.secrets.gatewaySecret, {
          body: rawBodies.get(req) ?? '',
          replayGuard,
        });
        return options.createContext(viewer);
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  logger.info({ service: options.definition.name, url }, 'subgraph listening');
  return {
    url,
    async stop() {
      await server.stop();
      await options.onStop?.();
    },
  };
}

/** How a subgraph service is started: where its database is and how it serves. */
export interface ServiceOptions {
  databaseUrl: string;
  secrets: ServiceSecrets;
  port?: number;
  poolMax?: number;
  onQuery?: (sql: string) => void;
}

/**
 * Opens a subgraph's database (migrate, seed) and serves it: every request gets its own forked
 * EntityManager, `GET /health` pings the database, and stopping closes the pool.
 */
export async function startDatabaseSubgraph<TContext extends object>(
  options: ServiceOptions & {
    definition: SubgraphDefinition;
    database: Omit<DatabaseOptions, 'clientUrl' | 'poolMax' | 'onQuery'>;
    createContext(em: EntityManager, viewer: Viewer): TContext;
    /** Background work on the database (scheduled jobs); resolves to its stopper. */
    background?(em: () => EntityManager): Promise<() => Promise<void>>;
  },
): Promise<ServiceHandle> {
  const orm = await openDatabase({
    ...options.database,
    clientUrl: options.databaseUrl,
    poolMax: options.poolMax,
    onQuery: options.onQuery,
  });
  const stopBackground = (await options.background?.(() => orm.em.fork())) ?? (async () => undefined);
  return startSubgraphServer({
    definition: options.definition,
    port: options.port,
    secrets: options.secrets,
    createContext: (viewer) => options.createContext(orm.em.fork(), viewer),
    checkHealth: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onStop: async () => {
      await stopBackground();
      await orm.close();
    },
  });
}
