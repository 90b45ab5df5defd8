import type { EntityManager } from '@mikro-orm/postgresql';
import { groupedLoader, loaderById, type Viewer } from '@lapor-hub/lib';
import type { Escalation } from './entities/escalation';
import { EscalationRepository } from './escalation-repository';

export type EscalationContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager and fresh loaders, so nothing is cached across requests. */
export function createContext(em: EntityManager, viewer: Viewer) {
  const escalations = new EscalationRepository(em);
  return {
    viewer,
    em,
    escalations,
    loaders: {
      escalationById: loaderById((ids) => escalations.findByIds(ids), (escalation) => escalation.id),
      /** Keyed by `{ ownerId: complaintId }`; every complaint of a batch costs one statement together. */
      escalationsByComplaint: groupedLoader<object, Escalation[]>(
        (complaintIds) => escalations.findByComplaintIds(complaintIds),
        () => [],
      ),
    },
  };
}
