import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import {
  formatError,
  logger,
  SUBGRAPH_NAMES,
  supergraphSubgraphUrls,
  viewerFromAuthorization,
  type AuthSecrets,
  type ServiceHandle,
} from '@lapor-hub/lib';
import { csvExportHandler } from './csv-export';
import { checkSubgraphs } from './health';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';

export interface GatewayOptions {
  /** The composed supergraph (normally `schema/supergraph.graphql`). */
  supergraphSdl: string;
  /** Where each subgraph answers, overriding the URLs written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  secrets: AuthSecrets;
  port?: number;
  host?: string;
}

/**
 * The hub's gateway: verifies the caller's token, plans each query across the subgraphs of the
 * static supergraph, and serves `POST /graphql` and `GET /health`.
 */
export async function startGateway(options: GatewayOptions): Promise<ServiceHandle> {
  const subgraphUrls = { ...supergraphSubgraphUrls(options.supergraphSdl), ...options.subgraphUrls } as Record<string, string>;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    serviceHealthCheck: true,
    buildService: ({ name }) => new SubgraphDataSource(name, subgraphUrls[name], options.secrets),
  });
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: process.env.NODE_ENV !== 'production',
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    const health = await checkSubgraphs(subgraphUrls);
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  app.get('/export/complaints.csv', csvExportHandler(server, options.secrets, 'complaints'));
  app.get('/export/rankings.csv', csvExportHandler(server, options.secrets, 'rankings'));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => ({ viewer: await viewerFromAuthorization(req.header('authorization'), options.secrets) }),
    }),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url, subgraphs: SUBGRAPH_NAMES }, 'gateway listening');
  return {
    url,
    async stop() {
      await server.stop();
    },
  };
}
