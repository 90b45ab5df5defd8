import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubEventRelay } from '@lapor-hub/lib/database';
import { type PageArgs, type Viewer } from '@lapor-hub/lib';
import { batchLoader, groupedLoader, listLoader, loaderById } from '@lapor-hub/lib/database';
import { AttachmentRepository } from './attachment-repository';
import { CalendarRepository } from './calendar-repository';
import { ComplaintRepository, type ComplaintFilter } from './complaint-repository';
import type { DirectoryClient } from './directory-client';
import type { ContactSeal } from './domain/contact-sealing';
import type { ComplaintNodes } from './domain/access';
import type { Complaint } from './entities/complaint';
import { SearchRepository } from './search-repository';
import { StatsRepository } from './stats-repository';

export interface ComplaintsServiceDeps {
  directory: DirectoryClient;
  contactSeal: ContactSeal;
  /** Signs the stop links of reporters' messages; null where no messages are sent (tests). */
  reporterLinkSecret: Uint8Array | null;
  /** `ATTACHMENT_URL_SECRET`: signs the evidence links the gateway serves to readers of a complaint. */
  attachmentUrlSecret: Uint8Array;
  /** Called after a commit that may have written reporters' messages: the notifier sends them soon, outside the request. */
  notifyReporters: () => void;
  /** Sends the outbox's hub events on to the webhooks subgraph; kicked after each commit that wrote some. */
  hubEvents: Pick<HubEventRelay, 'kick'>;
}

export type ComplaintsContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager, fresh loaders, and what this request has proved. */
export function createContext(em: EntityManager, viewer: Viewer, deps: ComplaintsServiceDeps) {
  const complaints = new ComplaintRepository(em);
  const stats = new StatsRepository(em);
  const search = new SearchRepository(em);
  const calendar = new CalendarRepository(em);
  const nodeById = batchLoader((ids) => deps.directory.nodes(ids));
  return {
    viewer,
    em,
    complaints,
    stats,
    search,
    calendar,
    ...deps,
    /** Complaints whose reporter token this request presented (the caller is their reporter). */
    reporterOf: new Set<string>(),
    /** The directory facts of the nodes a complaint is tied to (batched across the request). */
    async nodesOf(complaint: Complaint): Promise<ComplaintNodes> {
      const [addressed, assigned] = await Promise.all([
        nodeById.load(complaint.addressedAgencyId),
        complaint.assignedAgencyId ? nodeById.load(complaint.assignedAgencyId) : null,
      ]);
      return { addressed, assigned };
    },
    loaders: {
      nodeById,
      complaintById: loaderById((ids) => complaints.findByIds(ids), (complaint) => complaint.id),
      reporterByComplaintId: loaderById(
        async (ids) => (await complaints.findReporters(ids)).map((row) => ({ complaintId: row.complaintId, ...deps.contactSeal.open(row.complaintId, row.sealed) })),
        (reporter) => reporter.complaintId,
      ),
      timelineByComplaintId: listLoader((ids) => complaints.timelines(ids)),
      followUpsByComplaintId: listLoader((ids) => complaints.followUps(ids)),
      attachmentsByComplaintId: listLoader((ids) => new AttachmentRepository(em).byComplaint(ids)),
      duplicatesByOriginalId: listLoader((ids) => complaints.duplicatesOf(ids)),
      supportCountById: batchLoader(async (ids) => {
        const counts = await complaints.supportCounts(ids);
        return ids.map((id) => counts.get(id) ?? 0);
      }),
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
