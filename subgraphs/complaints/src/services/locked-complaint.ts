import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, isUuid, NotFoundError, type Viewer } from '@lapor-hub/lib';
import { writeHubEvents } from '@lapor-hub/lib/database';
import { CalendarRepository } from '../calendar-repository';
import { ComplaintRepository } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import type { ComplaintNodes } from '../domain/access';
import { stepEvents } from '../domain/hub-events';
import { takeStep, type Step } from '../domain/workflow';
import type { Complaint } from '../entities/complaint';
import { TimelineEntrySchema, type ActorKind } from '../entities/timeline-entry';

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
 * commits, so that changes of one complaint never interleave. An unknown id is `NOT_FOUND`. Once it
 * committed, the hub events it wrote are sent on (never waited for).
 *
 * No network call while the row is locked: `work` reads and writes this database only. A call to
 * another service (the agencies directory) inside the lock would make every other change of the
 * complaint, and the closing sweep, wait on that service and its timeouts. Whatever a step needs
 * from the directory is asked before the transaction: the step's target by the service, the
 * complaint's own nodes by `withLockedComplaintAndNodes`.
 */
export async function withLockedComplaint<T>(
  context: ComplaintsContext,
  complaintId: string,
  work: (complaint: Complaint, tx: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isUuid(complaintId)) throw new NotFoundError('Complaint', complaintId);
  const result = await context.em.fork().transactional(async (tx) => {
    const complaint = await new ComplaintRepository(tx).lockById(complaintId);
    if (!complaint) throw new NotFoundError('Complaint', complaintId);
    return work(complaint, tx);
  });
  context.hubEvents.kick();
  return result;
}

// A complaint moved to another node between the read and the lock is read again; moved this often
// while one step waits, the step gives up.
const NODE_READ_ATTEMPTS = 3;

const sameNodes = (a: Complaint, b: Complaint) => a.addressedAgencyId === b.addressedAgencyId && a.assignedAgencyId === b.assignedAgencyId;

/**
 * `withLockedComplaint`, with the directory's facts of the nodes the complaint is tied to, asked
 * before the lock: the complaint is read, its nodes loaded, then the row is locked and read again.
 * If its nodes changed meanwhile (a concurrent forward), the lock is released and it starts over,
 * so that `work` always sees the nodes of the complaint it holds; `CONFLICT` after a few rounds.
 */
export async function withLockedComplaintAndNodes<T>(
  context: ComplaintsContext,
  complaintId: string,
  work: (complaint: Complaint, nodes: ComplaintNodes, tx: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isUuid(complaintId)) throw new NotFoundError('Complaint', complaintId);
  for (let attempt = 1; ; attempt++) {
    // A fresh EntityManager: the request's may hold the complaint as an earlier read saw it.
    const seen = await new ComplaintRepository(context.em.fork()).findById(complaintId);
    if (!seen) throw new NotFoundError('Complaint', complaintId);
    const nodes = await context.nodesOf(seen);
    const outcome = await withLockedComplaint(context, complaintId, async (complaint, tx) =>
      sameNodes(seen, complaint) ? { done: true as const, value: await work(complaint, nodes, tx) } : { done: false as const },
    );
    if (outcome.done) return outcome.value;
    if (attempt >= NODE_READ_ATTEMPTS) throw new ConflictError('The complaint kept moving between nodes while this step waited; retry');
  }
}

/**
 * Takes a step of the workflow on a locked complaint at `at` (see `takeStep`), appends its
 * timeline entry and writes what agency systems are told of it to the outbox, in the caller's
 * transaction; that flushes it (and so bumps the version).
 */
export async function recordStep(
  tx: EntityManager,
  complaint: Complaint,
  step: Step,
  actor: Actor,
  note: string | null,
  at: Date,
): Promise<void> {
  const taken = takeStep(complaint, step, at, await new CalendarRepository(tx).load());
  // Every step is a change, even one that leaves the columns as they were (an escalation accepted
  // by the node that already holds the complaint): the row is updated and its version moves.
  complaint.updatedAt = new Date();
  tx.create(TimelineEntrySchema, {
    ...taken,
    complaintId: complaint.id,
    actorKind: actor.kind,
    actorRole: actor.role,
    actorAgencyId: actor.agencyId,
    note,
    at,
  });
  await writeHubEvents(tx, 'complaints', stepEvents(taken.action, complaint, at, actor.role));
}
