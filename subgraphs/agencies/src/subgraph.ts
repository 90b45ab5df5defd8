import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import { resolvers } from './resolvers';

/** The agencies subgraph: hub nodes, their tree, and topic categories. */
export const agenciesSubgraph: SubgraphDefinition = {
  name: 'agencies',
  typeDefs: subgraphTypeDefs('agencies'),
  resolvers,
};
