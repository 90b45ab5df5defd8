import type { ResolverTypesConfig } from '../../schema/codegen';

/** How `npm run codegen` types this subgraph's resolvers: its context, and the model behind each type. */
export const resolverTypes: ResolverTypesConfig = {
  contextType: '../context#AgenciesContext',
  mappers: {
    Agency: '../entities/agency#Agency as AgencyModel',
    AgencyConnection: '../resolvers/models#AgencyPage',
    Category: '../entities/category#Category as CategoryModel',
  },
};
