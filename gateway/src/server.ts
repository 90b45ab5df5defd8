import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import {
  formatError,
  logger,
  refuseUnstorableText,
  supergraphSubgraphUrls,
  type AuthSecrets,
  type ServiceHandle,
  type TokenPolicy,
} from '@lapor-hub/lib';
import { createAuthenticator } from './authenticate';
import { refuseUnresolvableOperations, withClientErrorCode } from './client-errors';
import { csvExportHandler } from './csv-export';
import { checkHubScalars } from './hub-scalars';
import { corsPolicy, securityHeaders } from './http-policy';
import { checkSubgraphs } from './health';
import { pagesRouter } from './pages';
import { processLocalSessionOptions, Sessions, type SessionOptions } from './session';
import { DEFAULT_QUERY_LIMITS, queryLimitProtection, withoutSuggestions, type QueryLimits } from './query-limits';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { openSubmitLimiter, submitRateLimitPlugin, type RateLimitStore, type SubmitRateLimit } from './submit-rate-limit';
import { unsubscribeHandlers } from './unsubscribe';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface GatewayOptions {
  /** The composed supergraph (normally `schema/supergraph.graphql`). */
  supergraphSdl: string;
  /** Where each subgraph answers, overriding the URLs written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  secrets: AuthSecrets;
  /** Lifetimes, issuer and audience user tokens must have (default: `DEFAULT_TOKEN_POLICY`). */
  tokenPolicy?: TokenPolicy;
  port?: number;
  host?: string;
  /**
   * Production mode: introspection off, and no "Did you mean …" suggestions (they name the schema)
   * in error messages, HSTS, `/health` without URLs. Default off: the entry points pass `NODE_ENV`'s.
   */
  production?: boolean;
  /** Depth, alias, token, directive and cost limits of a document; each one unset keeps its default. */
  queryLimits?: Partial<QueryLimits>;
  /** The largest request body accepted, in bytes (default 1 MiB); a larger one is answered HTTP 413. */
  maxBodyBytes?: number;
  /** A per-client limit on `submitComplaint`; unset or null: none. */
  submitRateLimit?: SubmitRateLimit | null;
  /** Where the limit is counted, so that every replica sees it; unset: in this process's memory. */
  rateLimitStore?: RateLimitStore;
  /**
   * Express's `trust proxy` (e.g. `1` for one proxy hop, `'loopback'`, a list of subnets), so that
   * the client IP, which the submit rate limit keys on, is read from `X-Forwarded-For`. Unset: the
   * socket's address, which behind a proxy is the proxy's, so every citizen would share one limit.
   */
  trustProxy?: boolean | number | string;
  /** Answer an identical query fetch to a subgraph already in flight (same viewer, same body) from it. Default: on. */
  deduplicateInflight?: boolean;
  /** Kept-alive connections per subgraph (default 64). */
  subgraphConnections?: number;
  /** Origins whose pages may call the gateway from a browser (CORS), e.g. `https://lapor.bima.go.id`. Default: none. */
  corsOrigins?: readonly string[];
  /** Sessions of the pages (sign-in, OIDC): `sessionOptionsFromEnv` in the entry points; default: a secret of this process, no OIDC. */
  sessions?: SessionOptions;
}

/**
 * The hub's gateway: verifies the caller's token, plans each query across the subgraphs of the
 * static supergraph, and serves `/graphql`, the CSV exports under `/export` and `GET /health`.
 */
export async function startGateway(options: GatewayOptions): Promise<ServiceHandle> {
  const inSupergraph = supergraphSubgraphUrls(options.supergraphSdl);
  const unknown = Object.keys(options.subgraphUrls ?? {}).filter((name) => !(name in inSupergraph));
  // A URL for a subgraph the supergraph does not name is a wiring mistake, not something to serve.
  if (unknown.length > 0) throw new Error(`The supergraph has no subgraph named ${unknown.join(', ')}`);
  const subgraphUrls = { ...inSupergraph, ...options.subgraphUrls } as Record<string, string>;
  const subgraphFetcher = createSubgraphFetcher({
    gatewaySecret: options.secrets.gatewaySecret,
    deduplicateInflight: options.deduplicateInflight,
    connectionsPerSubgraph: options.subgraphConnections,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    serviceHealthCheck: true,
    buildService: ({ name }) => new SubgraphDataSource(name, subgraphUrls[name], subgraphFetcher.fetcher),
  });
  if (!subgraphUrls.agencies) throw new Error('The supergraph has no agencies subgraph, which the gateway asks about tokens’ nodes');
  const authenticate = createAuthenticator({ secrets: options.secrets, tokenPolicy: options.tokenPolicy, agenciesUrl: subgraphUrls.agencies });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => checkHubScalars(apiSchema));
  const production = options.production ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sessions = new Sessions(options.sessions ?? processLocalSessionOptions(production));
  const limits = queryLimitProtection({ ...DEFAULT_QUERY_LIMITS, ...definedOnly(options.queryLimits ?? {}) });
  const app = express();
  app.disable('x-powered-by');
  app.use(...securityHeaders(production));
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  const httpServer = http.createServer(app);
  const submitLimiter = options.submitRateLimit ? await openSubmitLimiter(options.submitRateLimit, options.rateLimitStore) : null;
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      const masked = formatError(withClientErrorCode(formatted, error), error);
      return production ? { ...masked, message: withoutSuggestions(masked.message) } : masked;
    },
    includeStacktraceInErrorResponses: false,
    // The process's own SIGINT/SIGTERM handler stops every service in order; Apollo's handler would
    // stop this one on its own and leave the process's shutdown waiting on it.
    stopOnTerminationSignals: false,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    ...(production ? { nodeEnv: 'production' } : {}),
    // Kept on explicitly: CORS_ORIGINS opens the gateway to listed origins' preflighted requests only.
    csrfPrevention: true,
    // One operation per HTTP request: a JSON array body is refused (400 BAD_REQUEST), so that
    // batching cannot multiply what the limits below allow per request.
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's landing page loads from a CDN: the explorer is the pages' own GraphiQL (./pages).
      ApolloServerPluginLandingPageDisabled(),
      refuseUnresolvableOperations,
      refuseUnstorableText,
      ...limits.plugins,
      ...(submitLimiter ? [submitRateLimitPlugin(submitLimiter.limiter)] : []),
    ],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    const health = await checkSubgraphs(subgraphUrls);
    // Where the subgraphs answer is the deployment's business, not a visitor's.
    const shown = production ? { ...health, subgraphs: health.subgraphs.map(({ name, status }) => ({ name, status })) } : health;
    res.status(health.status === 'ok' ? 200 : 503).json(shown);
  });
  app.use(['/graphql', '/export'], corsPolicy(options.corsOrigins ?? []));
  const downloadViewer = (req: express.Request) => sessions.viewer(req, authenticate, true);
  app.get('/export/complaints.csv', csvExportHandler(server, downloadViewer, 'complaints'));
  app.get('/export/rankings.csv', csvExportHandler(server, downloadViewer, 'rankings'));
  const unsubscribe = unsubscribeHandlers(server);
  app.get('/notifications/unsubscribe', unsubscribe.show);
  app.post('/notifications/unsubscribe', unsubscribe.stop);
  app.use(sessions.routes(knownNodeOf(server)), pagesRouter({ sessions, explorer: !production }));
  app.use(
    '/graphql',
    express.json({ limit: maxBodyBytes }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const viewer = await sessions.viewer(req, authenticate);
        return { viewer, clientId: viewer.kind === 'officer' ? `sub:${viewer.sub}` : `ip:${req.ip ?? 'unknown'}` };
      },
    }),
  );
  // Any other path: a coded JSON 404, never Express's HTML page.
  app.use((_req, res) => void res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }));
  app.use(requestErrorHandler(maxBodyBytes));

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url, subgraphs: Object.keys(subgraphUrls) }, 'gateway listening');
  return {
    url,
    async stop() {
      await server.stop();
      await subgraphFetcher.close();
      await submitLimiter?.close();
    },
  };
}

/** Whether a signed-in officer's node is real (and national for a national admin), asked of the hub's own API. */
function knownNodeOf(server: ApolloServer<GatewayContext>) {
  return async (officer: { role: string; agencyId: string }): Promise<boolean> => {
    const response = await server.executeOperation({ query: 'query($id: ID!) { agency(id: $id) { kind } }', variables: { id: officer.agencyId } }, { contextValue: { viewer: { kind: 'public' } } });
    const kind = response.body.kind === 'single' ? (response.body.singleResult.data?.agency as { kind?: string } | null)?.kind : undefined;
    return Boolean(kind) && (officer.role !== 'NATIONAL_ADMIN' || kind === 'NATIONAL');
  };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'The request was aborted',
  'request.size.invalid': 'The request body is shorter or longer than its content-length',
};

/**
 * Errors before Apollo Server (the JSON body parser's) as the GraphQL error shape, never Express's
 * default HTML page with its stack trace: a body over the limit is 413, a malformed one 400.
 */
function requestErrorHandler(maxBodyBytes: number): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = Number(error?.status ?? error?.statusCode);
    if (status >= 400 && status < 500 && error?.expose) {
      const message = error.type === 'entity.too.large' ? `The request body is larger than ${maxBodyBytes} bytes` : (BODY_ERRORS[error.type] ?? 'Bad request');
      res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
