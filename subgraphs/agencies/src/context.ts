import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageArgs, Viewer } from '@lapor-hub/lib';
import { groupedLoader, listLoader, loaderById } from '@lapor-hub/lib/database';
import { AgencyRepository, type AgencyFilter } from './agency-repository';
import type { Agency } from './entities/agency';

export type AgenciesContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager and fresh loaders, so nothing is cached across requests. */
export function createContext(em: EntityManager, viewer: Viewer) {
  const agencies = new AgencyRepository(em);
  return {
    viewer,
    em,
    agencies,
    loaders: {
      agencyById: loaderById((ids) => agencies.findByIds(ids), (agency) => agency.id),
      agencyByRegionCode: loaderById((codes) => agencies.findByRegionCodes(codes), (agency) => agency.regionCode!),
      /** Each node's ancestors, parent first: one recursive query per batch. */
      ancestorsById: listLoader((ids) => agencies.ancestors(ids)),
      categoryById: loaderById((ids) => agencies.findCategoriesByIds(ids), (category) => category.id),
      childrenPage: groupedLoader<{ filter: AgencyFilter; page: PageArgs }, Agency[]>(
        (parentIds, { filter, page }) => agencies.childrenPages(parentIds, filter, page),
        () => [],
      ),
      childrenCount: groupedLoader<{ filter: AgencyFilter }, number>(
        (parentIds, { filter }) => agencies.childrenCounts(parentIds, filter),
        () => 0,
      ),
    },
  };
}
