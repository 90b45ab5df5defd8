import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import type { EscalationContext } from './context';
import { resolvers } from './resolvers';

/** The escalation subgraph: complaints moving between hub nodes, and each complaint's escalations. */
export const escalationSubgraph: SubgraphDefinition<EscalationContext> = {
  name: 'escalation',
  typeDefs: subgraphTypeDefs('escalation'),
  // Typed from the SDL (`Resolvers`); lib's definition still takes Apollo's untyped resolver map.
  resolvers: resolvers as SubgraphDefinition<EscalationContext>['resolvers'],
};
