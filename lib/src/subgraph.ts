import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { MemoryReplayGuard, serveCredentialedSubgraph, type ReplayGuard } from '@lapor-hub/node-kit';
import { subgraphCredentialVerifier, type ServiceSecrets, type Viewer } from './auth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SharedReplayGuard } from './credential-use';
import { CredentialUseRepository, credentialUseMigration } from './credential-use-repository';
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
  /** Where accepted credentials' ids are kept; default this process's memory. A database subgraph shares its table. */
  replayGuard?: ReplayGuard;
}

/**
 * Serves a hub subgraph on `POST /graphql` and `GET /health` (node-kit's server, which nodes use
 * too): every request carries a gateway or service credential for this subgraph's name, checked by
 * `subgraphCredentialVerifier`. Port 0 picks a free port, so tests can start every service side by side.
 */
export async function startSubgraphServer<TContext extends object>(
  options: SubgraphServerOptions<TContext>,
): Promise<ServiceHandle> {
  const { name } = options.definition;
  const handle = await serveCredentialedSubgraph({
    name,
    typeDefs: options.definition.typeDefs,
    resolvers: options.definition.resolvers,
    verify: subgraphCredentialVerifier(name, options.secrets, options.replayGuard ?? new MemoryReplayGuard()),
    createContext: options.createContext,
    port: options.port,
    host: options.host,
    checkHealth: options.checkHealth,
    onHealthFailure: (error) => logger.warn({ err: error, service: name }, 'health check failed'),
    onStop: options.onStop,
    formatError,
    plugins: options.plugins,
    // The process's own SIGINT/SIGTERM handler stops every service in order; Apollo's handler would
    // stop this one on its own and leave the process's shutdown waiting on it.
    stopOnTerminationSignals: false,
  });
  logger.info({ service: name, url: handle.url }, 'subgraph listening');
  return handle;
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
    migrations: [...options.database.migrations, credentialUseMigration(options.database.schema)],
    clientUrl: options.databaseUrl,
    poolMax: options.poolMax,
    onQuery: options.onQuery,
  });
  const stopBackground = (await options.background?.(() => orm.em.fork())) ?? (async () => undefined);
  // Every replica of this subgraph works on this database: a credential is used once across them all.
  const replayGuard = new SharedReplayGuard(new CredentialUseRepository(() => orm.em.fork(), options.database.schema));
  replayGuard.start();
  return startSubgraphServer({
    definition: options.definition,
    port: options.port,
    secrets: options.secrets,
    replayGuard,
    createContext: (viewer) => options.createContext(orm.em.fork(), viewer),
    checkHealth: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onStop: async () => {
      await replayGuard.stop();
      await stopBackground();
      await orm.close();
    },
  });
}
