import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import { resolvers } from './resolvers';

/** The escalation subgraph: complaints moving between hub nodes, and each complaint's escalations. */
export const escalationSubgraph: SubgraphDefinition = {
  name: 'escalation',
  typeDefs: subgraphTypeDefs('escalation'),
  resolvers,
};
