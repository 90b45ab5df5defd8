import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, secretFromEnv, startSubgraphServer, type AuthSecrets, type ServiceHandle } from '@lapor-hub/lib';
import { createContext } from './context';
import { DirectoryClient } from './directory-client';
import { ComplaintSchema } from './entities/complaint';
import { ReporterContactSchema } from './entities/reporter-contact';
import { complaintsSubgraph } from './index';
import { migrations } from './migrations';

export interface ComplaintsServiceOptions {
  databaseUrl: string;
  secrets: AuthSecrets;
  /** The agencies subgraph, asked about nodes and categories when a complaint is submitted. */
  agenciesUrl: string;
  /** Derives reporter tokens; rotating it invalidates every token already issued. */
  reporterTokenSecret: Uint8Array;
  port?: number;
  poolMax?: number;
  onQuery?: (sql: string) => void;
}

/** `REPORTER_TOKEN_SECRET`, from which reporter tokens are derived (a fixed value in development). */
export function reporterTokenSecretFromEnv(): Uint8Array {
  return secretFromEnv('REPORTER_TOKEN_SECRET', 'lapor-hub-development-reporter-secret-change-me');
}

/** Opens the complaints database (migrate) and serves the subgraph. */
export async function startComplaintsService(options: ComplaintsServiceOptions): Promise<ServiceHandle> {
  const orm = await openDatabase({
    clientUrl: options.databaseUrl,
    schema: 'complaints',
    entities: [ComplaintSchema, ReporterContactSchema],
    migrations,
    poolMax: options.poolMax,
    onQuery: options.onQuery,
  });
  const deps = {
    directory: new DirectoryClient(options.agenciesUrl, options.secrets),
    reporterTokenSecret: options.reporterTokenSecret,
  };
  return startSubgraphServer({
    definition: complaintsSubgraph,
    port: options.port,
    secrets: options.secrets,
    createContext: (viewer) => createContext(orm.em.fork() as EntityManager, viewer, deps),
    checkHealth: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onStop: () => orm.close(),
  });
}
