import { DateTimeScalar, NotFoundError, pageArgs, toConnection } from '@lapor-hub/lib';
import { authorizeGateway, authorizeRegistryRead } from '../domain/access';
import type { Resolvers } from '../generated/resolvers-types';
import { subgraphSortKey } from '../registry-repository';
import { checkNodeSubgraph } from '../services/check-node-subgraph';
import { publishNodeSubgraph } from '../services/publish-node-subgraph';
import { recordSupergraphRejection } from '../services/record-rejection';
import { removeNodeSubgraph } from '../services/remove-node-subgraph';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    nodeSubgraphs: async (_, args, { viewer, registry }) => {
      authorizeRegistryRead(viewer);
      const page = pageArgs(args);
      const rows = await registry.nodePage(page);
      return toConnection(rows, page.first, subgraphSortKey, () => registry.nodeCount());
    },
    supergraph: async (_, __, { viewer, registry }) => {
      authorizeRegistryRead(viewer);
      const latest = await registry.latestSupergraph();
      if (!latest) throw new NotFoundError('Supergraph', 'latest');
      return latest;
    },
  },
  Mutation: {
    checkNodeSubgraph: (_, { input }, context) => checkNodeSubgraph(context, input),
    publishNodeSubgraph: (_, { input }, context) => publishNodeSubgraph(context, input),
    removeNodeSubgraph: (_, { input }, context) => removeNodeSubgraph(context, input),
    recordSupergraphRejection: (_, { input }, context) => recordSupergraphRejection(context, input),
  },
  NodeSubgraph: {
    namespace: (subgraph) => subgraph.name,
    agency: (subgraph) => ({ id: subgraph.agencyId! }),
    versions: (subgraph, _, { loaders }) => loaders.versionsBySubgraph.load(subgraph.name),
  },
  Supergraph: {
    sdl: (supergraph, _, { viewer }) => {
      authorizeGateway(viewer);
      return supergraph.sdl;
    },
  },
  Agency: {
    __resolveReference: (reference) => ({ id: reference.id }),
    subgraph: (agency, _, { viewer, loaders }) => {
      authorizeRegistryRead(viewer);
      return loaders.subgraphByAgency.load(agency.id);
    },
  },
};
