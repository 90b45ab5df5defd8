import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import { resolvers } from './resolvers';

/** The complaints subgraph: submissions, the complaint record, and agency inboxes. */
export const complaintsSubgraph: SubgraphDefinition = {
  name: 'complaints',
  typeDefs: subgraphTypeDefs('complaints'),
  resolvers,
};
