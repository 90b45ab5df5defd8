import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, NotFoundError, type Viewer } from '@lapor-hub/lib';
import { CalendarRepository } from '../calendar-repository';
import { ComplaintRepository } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import type { ComplaintNodes } from '../domain/access';
import { takeStep, type Step } from '../domain/workflow';
import type { Complaint } from '../entities/complaint';
import { TimelineEntry, type ActorKind } from '../entities/timeline-entry';

/** Who took a step, as the timeline records it. */
export interface Actor {
  kind: ActorKind;
  role: string | null;
  agencyId: string | null;
}

export function actorOf(viewer: Viewer): Actor {
  return viewer.kind === 'officer'
    ? { kind: 'OFFICER', role: viewer.role, agencyId: viewer.agencyId }
    : { kind: viewer.kind === 'service' ? 'SYSTEM' : 'PUBLIC', role: null, agencyId: null };
}

/**
 * Runs `work` in a transaction of its own on the complaint's row, locked (`FOR UPDATE`) until it
 * commits, so that changes of one complaint never interleave. An unknown id is `NOT_FOUND`.
 */
export async function withLockedComplaint<T>(
  context: ComplaintsContext,
  complaintId: string,
  work: (complaint: Complaint, tx: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isUuid(complaintId)) throw new NotFoundError('Complaint', complaintId);
  return context.em.fork().transactional(async (tx) => {
    const complaint = await new ComplaintRepository(tx).lockById(complaintId);
    if (!complaint) throw new NotFoundError('Complaint', complaintId);
    return work(complaint, tx);
  });
}

/** `withLockedComplaint`, with the directory's facts of the nodes the complaint is tied to. */
export async function withLockedComplaintAndNodes<T>(
  context: ComplaintsContext,
  complaintId: string,
  work: (complaint: Complaint, nodes: ComplaintNodes, tx: EntityManager) => Promise<T>,
): Promise<T> {
  return withLockedComplaint(context, complaintId, async (complaint, tx) => work(complaint, await context.nodesOf(complaint), tx));
}

/**
 * Takes a step of the workflow on a locked complaint at `at` (see `takeStep`) and appends its
 * timeline entry; the caller's transaction flushes it (and so bumps the version).
 */
export async function recordStep(tx: EntityManager, complaint: Complaint, step: Step, actor: Actor, note: string | null, at: Date): Promise<void> {
  const taken = takeStep(complaint, step, at, await new CalendarRepository(tx).load());
  // Every step is a change, even one that leaves the columns as they were (an escalation accepted
  // by the node that already holds the complaint): the row is updated and its version moves.
  complaint.updatedAt = new Date();
  tx.persist(
    Object.assign(new TimelineEntry(), {
      ...taken,
      complaintId: complaint.id,
      actorKind: actor.kind,
      actorRole: actor.role,
      actorAgencyId: actor.agencyId,
      note,
      at,
    }),
  );
}
