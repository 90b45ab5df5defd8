import type { EntityManager } from '@mikro-orm/postgresql';
import { groupedLoader, loaderById, type PageArgs, type Viewer } from '@lapor-hub/lib';
import { ComplaintRepository, type ComplaintFilter } from './complaint-repository';
import type { DirectoryClient } from './directory-client';
import type { Complaint } from './entities/complaint';

export interface ComplaintsServiceDeps {
  directory: DirectoryClient;
  reporterTokenSecret: Uint8Array;
}

export type ComplaintsContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager, fresh loaders, and what this request has proved. */
export function createContext(em: EntityManager, viewer: Viewer, deps: ComplaintsServiceDeps) {
  const complaints = new ComplaintRepository(em);
  return {
    viewer,
    em,
    complaints,
    ...deps,
    /** Complaints whose reporter token this request presented (the caller is their reporter). */
    reporterOf: new Set<string>(),
    loaders: {
      complaintById: loaderById((ids) => complaints.findByIds(ids), (complaint) => complaint.id),
      reporterByComplaintId: loaderById((ids) => complaints.findReporters(ids), (reporter) => reporter.complaintId),
      complaintPage: groupedLoader<{ filter: ComplaintFilter; page: PageArgs }, Complaint[]>(
        (agencyIds, { filter, page }) => complaints.pagesByAgency(agencyIds, filter, page),
        () => [],
      ),
      complaintCount: groupedLoader<{ filter: ComplaintFilter }, number>(
        (agencyIds, { filter }) => complaints.countsByAgency(agencyIds, filter),
        () => 0,
      ),
    },
  };
}
