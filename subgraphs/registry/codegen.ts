import type { ResolverTypesConfig } from '../../schema/codegen';

/** How `npm run codegen` types this subgraph's resolvers: its context, and the model behind each type. */
export const resolverTypes: ResolverTypesConfig = {
  contextType: '../context#RegistryContext',
  mappers: {
    NodeSubgraph: '../entities/subgraph#Subgraph as SubgraphModel',
    NodeSubgraphVersion: '../entities/subgraph-version#SubgraphVersion as SubgraphVersionModel',
    NodeSubgraphConnection: '../resolvers/models#NodeSubgraphPage',
    Supergraph: '../entities/supergraph-version#SupergraphVersion as SupergraphVersionModel',
    Agency: '../resolvers/models#AgencyReference',
  },
};
