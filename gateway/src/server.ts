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
  publicJwks,
  refuseUnstorableText,
  ServiceClient,
  SUBGRAPH_NAMES,
  supergraphSubgraphUrls,
  type AuthSecrets,
  type ServiceHandle,
  type TokenPolicy,
  type Viewer,
} from '@lapor-hub/lib';
import { startEvidence } from './attachments';
import type { AttachmentSettings } from './attachment-storage';
import { createAuthenticator } from './authenticate';
import { refuseUnresolvableOperations, withClientErrorCode } from './client-errors';
import { csvExportHandler } from './csv-export';
import { gatewayCredentialSigner } from './credentials';
import { checkHubScalars } from './hub-scalars';
import { corsPolicy, securityHeaders } from './http-policy';
import { checkSubgraphs } from './health';
import { pagesRouter } from './pages';
import { processLocalSessionOptions, Sessions, type SessionOptions } from './session';
import { DEFAULT_QUERY_LIMITS, queryLimitProtection, withoutSuggestions, type QueryLimits } from './query-limits';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { latestSupergraph, registrySupergraph } from './registry-supergraph';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { clientIdOf, openSubmitLimiter, submitRateLimitPlugin, type AttachmentRateLimit, type RateLimitStore, type SubmitRateLimit } from './submit-rate-limit';
import { unsubscribeHandlers } from './unsubscribe';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Where the gateway serves its public keys (DESIGN.md). */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * How long a verifier may cache the JWKS: a next key must be published at least this long (plus
 * a credential's 60 s) before the gateway signs with it (SECURITY.md, "Rotating a signing key").
 */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Default of `nodeSubgraphTimeoutMs`: a node's subgraph answers within this or its fields fail alone. */
export const DEFAULT_NODE_SUBGRAPH_TIMEOUT_MS = 5000;

export interface GatewayOptions {
  /** A fixed supergraph (normally `schema/supergraph.graphql`): the hub's own subgraphs only. */
  supergraphSdl?: string;
  /** Else the registry's latest version, asked for every `pollIntervalMs` (default 2 s) and served once healthy. */
  registry?: { url: string; pollIntervalMs?: number };
  /** Where each of the hub's subgraphs answers, overriding the URLs written in a fixed supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  /** How long a node's subgraph may take to answer one fetch (default 5 s); the hub's own have 30 s. */
  nodeSubgraphTimeoutMs?: number;
  /**
   * `SUBGRAPH_ALLOW_PRIVATE_URLS=true`: a node's subgraph may answer at a loopback or private
   * address (development, tests). Default off: each connection to one is refused unless its
   * address, once resolved, is public; the hub's own subgraphs are not concerned.
   */
  allowPrivateNodeSubgraphUrls?: boolean;
  /** Evidence uploads (`POST /attachments`): where the bytes are kept and the size limit (default: `DEFAULT_ATTACHMENT_SETTINGS`). */
  attachments?: AttachmentSettings;
  /**
   * The user tokens' secret, the gateway's signing keys (its JWKS), the hub services' (for its
   * own calls as a hub service), and `ATTACHMENT_URL_SECRET`, which the complaints service signs
   * evidence links with (unset: one of this process, so no link verifies).
   */
  secrets: AuthSecrets & { attachmentUrlSecret?: Uint8Array };
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
  /** A per-client limit on `POST /attachments` (uploads, and their bytes), apart from submissions'; unset or null: none. */
  attachmentRateLimit?: AttachmentRateLimit | null;
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
  if (!options.supergraphSdl === !options.registry) throw new Error('The gateway serves either a fixed supergraph or the registry’s');
  const registry = options.registry ? new ServiceClient({ name: 'registry', url: options.registry.url }, 'gateway', options.secrets) : null;
  // The registry's latest version at start: the first one served, and where the hub's subgraphs answer.
  const initial = registry ? await latestSupergraph(registry) : null;
  const inSupergraph = supergraphSubgraphUrls(initial?.sdl ?? options.supergraphSdl!);
  const unknown = Object.keys(options.subgraphUrls ?? {}).filter((name) => !(name in inSupergraph));
  // A URL for a subgraph the supergraph does not name is a wiring mistake, not something to serve.
  if (unknown.length > 0) throw new Error(`The supergraph has no subgraph named ${unknown.join(', ')}`);
  const subgraphUrls = { ...inSupergraph, ...options.subgraphUrls } as Record<string, string>;
  const transport = {
    signCredential: gatewayCredentialSigner(options.secrets.gatewayKeys),
    deduplicateInflight: options.deduplicateInflight,
    connectionsPerSubgraph: options.subgraphConnections,
  };
  const hubFetcher = createSubgraphFetcher(transport);
  // A node's subgraph gets its own connections and a short timeout: a slow node cannot hold the hub's requests.
  const nodeFetcher = createSubgraphFetcher({
    ...transport,
    timeoutMs: options.nodeSubgraphTimeoutMs ?? DEFAULT_NODE_SUBGRAPH_TIMEOUT_MS,
    publicAddressesOnly: !options.allowPrivateNodeSubgraphUrls,
  });
  const isHubSubgraph = (name: string) => (SUBGRAPH_NAMES as readonly string[]).includes(name);
  const urlOf = (name: string, url: string | undefined) => options.subgraphUrls?.[name] ?? url!;
  // The hub's own subgraphs as the served supergraph names them: the ones `GET /health` answers for.
  let hubSubgraphUrls: Record<string, string> = {};
  const gateway = new ApolloGateway({
    supergraphSdl:
      registry && initial ? registrySupergraph({ registry, initial, pollIntervalMs: options.registry?.pollIntervalMs ?? 2000 }) : options.supergraphSdl!,
    serviceHealthCheck: true,
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, urlOf(name, url), (isHubSubgraph(name) ? hubFetcher : nodeFetcher).fetcher),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    hubSubgraphUrls = Object.fromEntries(
      Object.entries(supergraphSubgraphUrls(coreSupergraphSdl))
        .filter(([name]) => isHubSubgraph(name))
        .map(([name, url]) => [name, urlOf(name, url)]),
    );
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
  const evidence = await startEvidence({
    settings: options.attachments,
    secrets: options.secrets,
    complaintsUrl: subgraphUrls.complaints,
    rateLimit: options.attachmentRateLimit,
    rateLimitStore: options.rateLimitStore,
    // Uploads need no identity: a token that does not verify is counted as its IP, like the public.
    clientOf: async (req) => clientIdOf(await sessions.viewer(req, authenticate).catch((): Viewer => ({ kind: 'public' })), req.ip),
  }).catch(async (error) => {
    await submitLimiter?.close();
    throw error;
  });
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
    // A node's subgraph being down costs its own fields, not the hub's health.
    const health = await checkSubgraphs(hubSubgraphUrls);
    // Where the subgraphs answer is the deployment's business, not a visitor's.
    const shown = production ? { ...health, subgraphs: health.subgraphs.map(({ name, status }) => ({ name, status })) } : health;
    res.status(health.status === 'ok' ? 200 : 503).json(shown);
  });
  // The gateway's public keys, which every subgraph (a node's too) verifies credentials against.
  const jwks = JSON.stringify(publicJwks(options.secrets.gatewayKeys));
  app.get(JWKS_PATH, (_req, res) => {
    res.setHeader('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    res.type('application/jwk-set+json').send(jwks);
  });
  const cors = corsPolicy(options.corsOrigins ?? []);
  app.use(['/graphql', '/export'], cors);
  // The upload only: the signed download links (`/attachments/<sha256>`) stay same-origin (CORP).
  app.all('/attachments', cors);
  const downloadViewer = (req: express.Request) => sessions.viewer(req, authenticate, true);
  app.get('/export/complaints.csv', csvExportHandler(server, downloadViewer, 'complaints'));
  app.get('/export/rankings.csv', csvExportHandler(server, downloadViewer, 'rankings'));
  app.use(evidence.routes);
  const unsubscribe = unsubscribeHandlers(server);
  app.get('/notifications/unsubscribe', unsubscribe.show);
  app.post('/notifications/unsubscribe', unsubscribe.stop);
  app.use(sessions.routes(knownNodeOf(server)), pagesRouter({ sessions, explorer: !production, maxUploadBytes: evidence.maxBytes }));
  app.use(
    '/graphql',
    express.json({ limit: maxBodyBytes }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const viewer = await sessions.viewer(req, authenticate);
        return { viewer, clientId: clientIdOf(viewer, req.ip) };
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
      await hubFetcher.close();
      await nodeFetcher.close();
      await submitLimiter?.close();
      await evidence.stop();
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
