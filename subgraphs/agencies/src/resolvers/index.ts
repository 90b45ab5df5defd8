import { DateTimeScalar, pageArgs, toConnection } from '@lapor-hub/lib';
import { agencySortKey } from '../agency-repository';
import type { Resolvers } from '../generated/resolvers-types';
import { createAgencyUnit } from '../services/create-agency-unit';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    agency: (_, { id }, { loaders }) => loaders.agencyById.load(id),
    agencyByRegionCode: (_, { regionCode }, { loaders }) => loaders.agencyByRegionCode.load(regionCode.trim()),
    agencies: async (_, args, { agencies }) => {
      const page = pageArgs(args);
      const filter = { kind: args.kind, search: args.search?.trim() || null, parentId: args.parentId };
      const rows = await agencies.page(filter, page);
      return toConnection(rows, page.first, agencySortKey, () => agencies.count(filter));
    },
    categories: (_, __, { agencies }) => agencies.categories(),
    category: (_, { id }, { loaders }) => loaders.categoryById.load(id),
  },
  Mutation: {
    createAgencyUnit: (_, { input }, context) => createAgencyUnit(context, input),
  },
  Agency: {
    __resolveReference: (reference, { loaders }) => loaders.agencyById.load(reference.id),
    parent: (agency, _, { loaders }) => (agency.parentId ? loaders.agencyById.load(agency.parentId) : null),
    ancestors: (agency, _, { loaders }) => (agency.parentId ? loaders.ancestorsById.load(agency.id) : []),
    children: async (agency, args, { loaders }) => {
      const page = pageArgs(args);
      const filter = { kind: args.kind ?? null };
      const rows = await loaders.childrenPage.load({ ownerId: agency.id, filter, page });
      return toConnection(rows, page.first, agencySortKey, () => loaders.childrenCount.load({ ownerId: agency.id, filter }));
    },
  },
  Category: {
    __resolveReference: (reference, { loaders }) => loaders.categoryById.load(reference.id),
  },
};
