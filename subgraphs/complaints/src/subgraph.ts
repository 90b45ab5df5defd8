import { subgraphTypeDefs } from '@lapor-hub/lib';
import type { SubgraphDefinition } from '@lapor-hub/lib/database';
import type { ComplaintsContext } from './context';
import { resolvers } from './resolvers';

/** The complaints subgraph: submissions, the complaint record, and agency inboxes. */
export const complaintsSubgraph: SubgraphDefinition<ComplaintsContext> = {
  name: 'complaints',
  typeDefs: subgraphTypeDefs('complaints'),
  // lib types a definition's resolvers loosely; these are checked against the SDL where they are written.
  resolvers: resolvers as SubgraphDefinition<ComplaintsContext>['resolvers'],
};
