import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import { resolvers } from './resolvers';

/** The webhooks subgraph: agency systems' subscriptions, and the messages that tell them what happened. */
export const webhooksSubgraph: SubgraphDefinition = {
  name: 'webhooks',
  typeDefs: subgraphTypeDefs('webhooks'),
  resolvers,
};
