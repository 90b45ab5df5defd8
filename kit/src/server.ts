import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, type DocumentNode } from 'graphql';
import { CredentialRefusedError, HUB_CREDENTIAL_HEADER, hubGatewayKeys, MemoryReplayGuard, verifyHubCredential, type HubViewer, type ReplayGuard } from './credential';

/** A running subgraph: where it answers, and how to stop it. */
export interface SubgraphHandle {
  url: string;
  stop(): Promise<void>;
}

export interface CredentialedSubgraphOptions<TViewer, TContext> {
  /** The subgraph's name, answered by `GET /health`. */
  name: string;
  typeDefs: DocumentNode;
  /** Resolvers for `typeDefs` (`__resolveReference` for the entities it extends). */
  resolvers: object;
  /** Checks a request's credential against its exact body; throws `CredentialRefusedError` to refuse it. */
  verify(credential: string | undefined, body: Buffer): Promise<TViewer>;
  /** The per-request context for a verified viewer. */
  createContext(viewer: TViewer): TContext | Promise<TContext>;
  port?: number;
  host?: string;
  /** Answers `GET /health`: resolves when the subgraph can serve (e.g. its database answers). */
  checkHealth?(): Promise<void>;
  /** Told of a failed health check (to log it); the caller only hears 503. */
  onHealthFailure?(error: unknown): void;
  /** Runs after the HTTP server has stopped (close the database here). */
  onStop?(): Promise<void>;
  formatError?: ApolloServerOptions<object>['formatError'];
  plugins?: ApolloServerPlugin<any>[];
  /** Whether Apollo stops the server on SIGINT/SIGTERM itself (default true); false when the process stops its services in order. */
  stopOnTerminationSignals?: boolean;
}

/**
 * Serves a subgraph on `POST /graphql`, every request verified before anything runs, and
 * `GET /health`. A refused credential is HTTP 401 UNAUTHENTICATED with one fixed message. Port 0
 * picks a free port. The hub's own subgraphs and the nodes' are served by this one function.
 */
export async function serveCredentialedSubgraph<TViewer, TContext extends object>(
  options: CredentialedSubgraphOptions<TViewer, TContext>,
): Promise<SubgraphHandle> {
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every answer for an ETag; no client of a subgraph sends If-None-Match.
  app.disable('etag');
  const httpServer = http.createServer(app);
  const server = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }),
    formatError: options.formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: options.stopOnTerminationSignals ?? true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Federated traces would cost every request; no Apollo Studio receives them here.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo's cache-control hints hook every field's resolution; no cache reads them here (the
      // gateway answers `no-store`).
      ApolloServerPluginCacheControlDisabled(),
      // Only the gateway calls a subgraph: no page for a browser that finds its port.
      ApolloServerPluginLandingPageDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    try {
      await options.checkHealth?.();
      res.json({ status: 'ok', service: options.name });
    } catch (error) {
      options.onHealthFailure?.(error);
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });
  const rawBodies = new WeakMap<http.IncomingMessage, Buffer>();
  app.use(
    '/graphql',
    // The credential is bound to the bytes the gateway sent, so keep them beside the parsed body.
    express.json({ limit: '1mb', verify: (req, _res, raw) => void rawBodies.set(req, raw) }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        let viewer: TViewer;
        try {
          viewer = await options.verify(req.header(HUB_CREDENTIAL_HEADER), rawBodies.get(req) ?? Buffer.alloc(0));
        } catch (error) {
          if (!(error instanceof CredentialRefusedError)) throw error;
          // Apollo Server turns `http.status` into the response status and leaves it out of the body.
          throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        return options.createContext(viewer);
      },
    }),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    async stop() {
      await server.stop();
      await options.onStop?.();
    },
  };
}

export interface NodeSubgraphOptions<TContext> {
  /** The node's namespace (`bimaPupr`): the only audience its credentials may name. */
  namespace: string;
  typeDefs: DocumentNode;
  resolvers: object;
  /** The hub gateway's JWKS, e.g. `https://hub.lapor.go.id/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** The per-request context for the viewer the hub vouches for (`null`: the public). */
  createContext(viewer: HubViewer | null): TContext | Promise<TContext>;
  /** Where accepted credentials' ids are kept; default this process's memory (one replica). Replicas share one. */
  replayGuard?: ReplayGuard;
  port?: number;
  host?: string;
  checkHealth?(): Promise<void>;
  onStop?(): Promise<void>;
}

/**
 * A node's subgraph, as the hub federates it: every request must carry the hub gateway's
 * credential for this namespace, verified against the gateway's published keys. The node holds no
 * secret of the hub's.
 */
export function startNodeSubgraph<TContext extends object>(options: NodeSubgraphOptions<TContext>): Promise<SubgraphHandle> {
  const keys = hubGatewayKeys(options.jwksUrl);
  const replayGuard = options.replayGuard ?? new MemoryReplayGuard();
  return serveCredentialedSubgraph({
    ...options,
    name: options.namespace,
    verify: (credential, body) => verifyHubCredential(credential, { keys, audience: options.namespace, body, replayGuard }),
  });
}
