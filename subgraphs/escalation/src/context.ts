import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeDirectory, PageArgs, Viewer } from '@lapor-hub/lib';
import { batchLoader, groupedLoader, keyedBatchLoader, listLoader, loaderById, type HubEventRelay } from '@lapor-hub/lib/database';
import type { ComplaintsClient } from './complaints-client';
import { supervisoryEscalationScope } from './domain/access';
import type { Escalation } from './entities/escalation';
import { EscalationRepository, type EscalationFilter } from './escalation-repository';
import { StatsRepository, type StatsKey } from './stats-repository';
import type { OutboxRelay } from './services/outbox-relay';

export interface EscalationServiceDeps {
  directory: NodeDirectory;
  complaintsClient: ComplaintsClient;
  relay: Pick<OutboxRelay, 'kick'>;
  /** Sends the hub events outbox on to the webhooks subgraph; kicked after each commit that wrote some. */
  hubEvents: Pick<HubEventRelay, 'kick'>;
}

export type EscalationContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager and fresh loaders, so nothing is cached across requests. */
export function createContext(em: EntityManager, viewer: Viewer, deps: EscalationServiceDeps) {
  const escalations = new EscalationRepository(em);
  const stats = new StatsRepository(em);
  // The viewer is the request's: which escalations may be loaded at all is decided once.
  const supervisory = supervisoryEscalationScope(viewer);
  return {
    viewer,
    /** Which escalations this viewer may see (`supervisoryEscalationScope`); lists and loaders leave the others out in SQL. */
    supervisory,
    em,
    escalations,
    stats,
    ...deps,
    loaders: {
      nodeById: batchLoader((ids) => deps.directory.nodes(ids)),
      statsByKey: keyedBatchLoader((keys: readonly StatsKey[]) => stats.escalationStats(keys, new Date())),
      escalationById: loaderById((ids) => escalations.findByIds(ids), (escalation) => escalation.id),
      escalationsByComplaint: listLoader((complaintIds) => escalations.findByComplaintIds(complaintIds, { supervisory })),
      escalationPage: groupedLoader<{ filter: EscalationFilter; page: PageArgs }, Escalation[]>(
        (agencyIds, { filter, page }) => escalations.pagesByAgency(agencyIds, filter, page),
        () => [],
      ),
      escalationCount: groupedLoader<{ filter: EscalationFilter }, number>(
        (agencyIds, { filter }) => escalations.countsByAgency(agencyIds, filter),
        () => 0,
      ),
    },
  };
}
