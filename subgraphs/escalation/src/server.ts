import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, startSubgraphServer, type AuthSecrets, type ServiceHandle } from '@lapor-hub/lib';
import { createContext } from './context';
import { EscalationSchema } from './entities/escalation';
import { escalationSubgraph } from './index';
import { migrations } from './migrations';

export interface EscalationServiceOptions {
  databaseUrl: string;
  secrets: AuthSecrets;
  port?: number;
  poolMax?: number;
  onQuery?: (sql: string) => void;
}

/** Opens the escalation database (migrate) and serves the subgraph. */
export async function startEscalationService(options: EscalationServiceOptions): Promise<ServiceHandle> {
  const orm = await openDatabase({
    clientUrl: options.databaseUrl,
    schema: 'escalation',
    entities: [EscalationSchema],
    migrations,
    poolMax: options.poolMax,
    onQuery: options.onQuery,
  });
  return startSubgraphServer({
    definition: escalationSubgraph,
    port: options.port,
    secrets: options.secrets,
    createContext: (viewer) => createContext(orm.em.fork() as EntityManager, viewer),
    checkHealth: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onStop: () => orm.close(),
  });
}
