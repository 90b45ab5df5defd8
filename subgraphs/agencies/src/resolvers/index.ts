import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar, pageArgs, toConnection } from '@lapor-hub/lib';
import { agencySortKey } from '../agency-repository';
import type { AgenciesContext } from '../context';
import type { Agency, AgencyKind } from '../entities/agency';
import { createAgencyUnit } from '../services/create-agency-unit';

interface ListArgs {
  kind?: AgencyKind | null;
  parentId?: string | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

export const resolvers: GraphQLResolverMap<AgenciesContext> = {
  DateTime: DateTimeScalar,
  Query: {
    agency: (_: unknown, { id }: { id: string }, { loaders }: AgenciesContext) => loaders.agencyById.load(id),
    agencyByRegionCode: (_: unknown, { regionCode }: { regionCode: string }, { loaders }: AgenciesContext) =>
      loaders.agencyByRegionCode.load(regionCode.trim()),
    agencies: async (_: unknown, args: ListArgs, { agencies }: AgenciesContext) => {
      const page = pageArgs(args);
      const filter = { kind: args.kind, search: args.search?.trim() || null, parentId: args.parentId };
      const rows = await agencies.page(filter, page);
      return toConnection(rows, page.first, agencySortKey, () => agencies.count(filter));
    },
    categories: (_: unknown, __: unknown, { agencies }: AgenciesContext) => agencies.categories(),
    category: (_: unknown, { id }: { id: string }, { loaders }: AgenciesContext) => loaders.categoryById.load(id),
  },
  Mutation: {
    createAgencyUnit: (_: unknown, { input }: { input: { parentId: string } }, context: AgenciesContext) =>
      createAgencyUnit(context, input),
  },
  Agency: {
    __resolveReference: (reference: { id: string }, { loaders }: AgenciesContext) => loaders.agencyById.load(reference.id),
    parent: (agency: Agency, _: unknown, { loaders }: AgenciesContext) =>
      agency.parentId ? loaders.agencyById.load(agency.parentId) : null,
    ancestors: (agency: Agency, _: unknown, { loaders }: AgenciesContext) =>
      agency.parentId ? loaders.ancestorsById.load(agency.id) : [],
    children: async (agency: Agency, args: ListArgs, { loaders }: AgenciesContext) => {
      const page = pageArgs(args);
      const filter = { kind: args.kind ?? null };
      const rows = await loaders.childrenPage.load({ ownerId: agency.id, filter, page });
      return toConnection(rows, page.first, agencySortKey, () => loaders.childrenCount.load({ ownerId: agency.id, filter }));
    },
  },
  Category: {
    __resolveReference: (reference: { id: string }, { loaders }: AgenciesContext) => loaders.categoryById.load(reference.id),
  },
};
