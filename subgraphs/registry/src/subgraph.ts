import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import { resolvers } from './resolvers';

/** The registry subgraph: the subgraphs of the hub and its nodes, every version of each, and the supergraph they compose. */
export const registrySubgraph: SubgraphDefinition = {
  name: 'registry',
  typeDefs: subgraphTypeDefs('registry'),
  resolvers,
};
