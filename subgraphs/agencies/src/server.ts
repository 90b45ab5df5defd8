import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, startSubgraphServer, type AuthSecrets, type ServiceHandle } from '@lapor-hub/lib';
import { createContext } from './context';
import { AgencySchema } from './entities/agency';
import { CategorySchema } from './entities/category';
import { agenciesSubgraph } from './index';
import { migrations } from './migrations';
import { NationalDirectorySeeder } from './seeders/national-directory.seeder';

export interface AgenciesServiceOptions {
  databaseUrl: string;
  secrets: AuthSecrets;
  port?: number;
  poolMax?: number;
  onQuery?: (sql: string) => void;
}

/** Opens the agencies database (migrate, seed) and serves the subgraph. */
export async function startAgenciesService(options: AgenciesServiceOptions): Promise<ServiceHandle> {
  const orm = await openDatabase({
    clientUrl: options.databaseUrl,
    schema: 'agencies',
    entities: [AgencySchema, CategorySchema],
    migrations,
    seeder: NationalDirectorySeeder,
    poolMax: options.poolMax,
    onQuery: options.onQuery,
  });
  return startSubgraphServer({
    definition: agenciesSubgraph,
    port: options.port,
    secrets: options.secrets,
    createContext: (viewer) => createContext(orm.em.fork() as EntityManager, viewer),
    checkHealth: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onStop: () => orm.close(),
  });
}
