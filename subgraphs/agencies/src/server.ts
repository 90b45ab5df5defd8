import type { ServiceHandle } from '@lapor-hub/lib';
import { startDatabaseSubgraph, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext } from './context';
import { AgencySchema } from './entities/agency';
import { CategorySchema } from './entities/category';
import { agenciesSubgraph } from './subgraph';
import { migrations } from './migrations';
import { NationalDirectorySeeder } from './seeders/national-directory.seeder';

export type AgenciesServiceOptions = ServiceOptions;

/** Opens the agencies database (migrate, seed the national directory) and serves the subgraph. */
export function startAgenciesService(options: AgenciesServiceOptions): Promise<ServiceHandle> {
  return startDatabaseSubgraph({
    ...options,
    definition: agenciesSubgraph,
    database: { schema: 'agencies', entities: [AgencySchema, CategorySchema], migrations, seeder: NationalDirectorySeeder },
    createContext,
  });
}
