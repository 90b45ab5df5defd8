import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import type { AgenciesContext } from './context';
import { resolvers } from './resolvers';

/** The agencies subgraph: hub nodes, their tree, and topic categories. */
export const agenciesSubgraph: SubgraphDefinition<AgenciesContext> = {
  name: 'agencies',
  typeDefs: subgraphTypeDefs('agencies'),
  // Typed from the SDL (`Resolvers`); lib's definition still takes Apollo's untyped resolver map.
  resolvers: resolvers as SubgraphDefinition<AgenciesContext>['resolvers'],
};
