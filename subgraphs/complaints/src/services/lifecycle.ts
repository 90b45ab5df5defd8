import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  BadUserInputError,
  ConflictError,
  homeNodeId,
  isUuid,
  NO_CONTROL_CHARACTERS,
  NotFoundError,
  parseInput,
  UnauthenticatedError,
  type Viewer,
  type WorkingCalendar,
} from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import {
  authorizeFollowUp,
  authorizeForward,
  authorizeScreening,
  type ComplaintNodes,
} from '../domain/access';
import { currentDeadline, DEADLINE_WORKING_DAYS, nextStatus, type LifecycleAction } from '../domain/lifecycle';
import { assignTo } from '../domain/assignment';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import { Complaint } from '../entities/complaint';
import { FollowUp } from '../entities/follow-up';
import { TimelineEntry, type ActorKind } from '../entities/timeline-entry';
import { CalendarRepository } from '../calendar-repository';

/** Trimmed text of 1 to `max` characters, line breaks and tabs allowed, no other control characters. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => NO_CONTROL_CHARACTERS.test(value.replace(/[\n\r\t]/g, '')), 'must not contain control characters');

const changeInput = z.object({
  complaintId: z.string(),
  version: z.number().int().min(1, 'must be a version this API issued'),
  note: text(2000).nullish().transform((value) => value ?? null),
});

/** Who took a step, as the timeline records it. */
export interface Actor {
  kind: ActorKind;
  role: string | null;
  agencyId: string | null;
}

export interface Step {
  /** What to change on the locked complaint besides its status; returns the timeline's subject node. */
  apply(complaint: Complaint, tx: EntityManager, at: Date, calendar: WorkingCalendar): Promise<string | null> | string | null;
  note: string | null;
}

function actorOf(viewer: Viewer): Actor {
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
    const complaint = await tx.findOne(Complaint, { id: complaintId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!complaint) throw new NotFoundError('Complaint', complaintId);
    return work(complaint, tx);
  });
}

/**
 * Moves a locked complaint one step of the workflow at `at`: checks the transition (else
 * `CONFLICT`), applies the step's change, derives the current deadline, and appends the timeline
 * entry. The caller flushes (and so bumps the version) in its transaction.
 */
export async function applyStep(
  tx: EntityManager,
  complaint: Complaint,
  action: LifecycleAction,
  actor: Actor,
  at: Date,
  { apply, note }: Step,
): Promise<void> {
  const fromStatus = complaint.status;
  const toStatus = nextStatus(fromStatus, action);
  const agencyId = await apply(complaint, tx, at, await new CalendarRepository(tx).load());
  complaint.status = toStatus;
  complaint.currentDueAt = currentDeadline(complaint);
  // Every step is a change, even one that leaves the columns as they were (an escalation accepted
  // by the node that already holds the complaint): the row is updated and its version moves.
  complaint.updatedAt = new Date();
  tx.persist(
    Object.assign(new TimelineEntry(), {
      complaintId: complaint.id,
      action,
      fromStatus,
      toStatus,
      actorKind: actor.kind,
      actorRole: actor.role,
      actorAgencyId: actor.agencyId,
      agencyId,
      note,
      at,
    }),
  );
}

/**
 * Runs one step of the workflow on a complaint, all or nothing: lock the row, check who may act,
 * check the caller's version and the transition, apply, append the timeline entry, commit.
 */
async function runStep(
  context: ComplaintsContext,
  complaintId: string,
  action: LifecycleAction,
  check: (complaint: Complaint, nodes: ComplaintNodes) => Promise<Actor> | Actor,
  step: (complaint: Complaint, nodes: ComplaintNodes) => Promise<Step> | Step,
  expectedVersion: number | null,
): Promise<{ complaint: Complaint }> {
  return withLockedComplaint(context, complaintId, async (complaint, tx) => {
    const nodes = await context.nodesOf(complaint);
    const actor = await check(complaint, nodes);
    if (expectedVersion !== null && complaint.version !== expectedVersion) {
      throw new ConflictError(`The complaint changed since version ${expectedVersion}; it is now at version ${complaint.version}`);
    }
    await applyStep(tx, complaint, action, actor, new Date(), await step(complaint, nodes));
    await tx.flush();
    return { complaint };
  });
}

export async function verifyComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(changeInput, raw);
  return runStep(
    context,
    input.complaintId,
    'VERIFY',
    (complaint, nodes) => actorOf(authorizeScreening(context.viewer, complaint, nodes)),
    () => ({ note: input.note, apply: () => null }),
    input.version,
  );
}

const rejectInput = changeInput.extend({ reason: text(2000) });

export async function rejectComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(rejectInput, raw);
  return runStep(
    context,
    input.complaintId,
    'REJECT',
    (complaint, nodes) => actorOf(authorizeScreening(context.viewer, complaint, nodes)),
    () => ({
      note: input.note ?? input.reason,
      apply: (complaint) => {
        complaint.rejectionReason = input.reason;
        return null;
      },
    }),
    input.version,
  );
}

const forwardInput = changeInput.extend({ agencyId: z.string().trim().min(1, 'must not be empty').max(200) });

export async function forwardComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(forwardInput, raw);
  const target = await context.loaders.nodeById.load(input.agencyId);
  if (!target) throw new BadUserInputError(`input.agencyId ${input.agencyId} is not a hub node`, 'input.agencyId');
  if (target.kind === 'NATIONAL') {
    throw new BadUserInputError('input.agencyId must be the node with the authority, not the national admin', 'input.agencyId');
  }
  return runStep(
    context,
    input.complaintId,
    'FORWARD',
    (complaint, nodes) => actorOf(authorizeForward(context.viewer, complaint, nodes, target)),
    (complaint, nodes) => ({
      note: input.note,
      apply: (locked, _tx, now, calendar) => {
        if (locked.assignedAgencyId === target.id) throw new ConflictError(`The complaint is already assigned to ${target.id}`);
        // Passing it to a unit inside the same node keeps the node's deadline.
        const sameNode = complaint.status === 'FORWARDED' && nodes.assigned !== null && homeNodeId(nodes.assigned) === homeNodeId(target);
        assignTo(locked, target, now, calendar, sameNode);
        return target.id;
      },
    }),
    input.version,
  );
}

const followUpInput = changeInput.extend({ body: text(4000) });

export async function postFollowUp(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(followUpInput, raw);
  return runStep(
    context,
    input.complaintId,
    'FOLLOW_UP',
    (complaint, nodes) => actorOf(authorizeFollowUp(context.viewer, complaint, nodes)),
    (_complaint, nodes) => ({
      note: input.note,
      apply: (locked, tx, now, calendar) => {
        const officer = actorOf(context.viewer);
        tx.persist(
          Object.assign(new FollowUp(), {
            complaintId: locked.id,
            agencyId: locked.assignedAgencyId!,
            authorRole: officer.role ?? 'SYSTEM',
            body: input.body,
            postedAt: now,
          }),
        );
        const zone = nodes.assigned!.timeZone;
        locked.closesAt = calendar.endOfNthWorkingDayAfter(now, DEADLINE_WORKING_DAYS.close, zone);
        locked.followedUpAt = now;
        locked.followUpWorkingDays = locked.forwardedAt ? calendar.workingDaysBetween(locked.forwardedAt, now, zone) : null;
        return locked.assignedAgencyId;
      },
    }),
    input.version,
  );
}

const replyInput = z.object({
  trackingId: z.string().trim().max(40),
  reporterToken: z.string().max(200),
  body: text(4000),
  satisfied: z.boolean(),
});

/**
 * The reporter's answer to the follow-up: satisfied closes the complaint; not satisfied sends it
 * back to the node with a fresh follow-up deadline (a dispute).
 */
export async function replyToComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(replyInput, raw);
  const found = await context.complaints.findByTrackingId(input.trackingId.toUpperCase());
  if (!found || !reporterTokenMatches(input.reporterToken, found.reporterTokenHash)) {
    throw new UnauthenticatedError('trackingId and reporterToken do not match');
  }
  context.reporterOf.add(found.id);
  const reporter: Actor = { kind: 'REPORTER', role: null, agencyId: null };
  return runStep(
    context,
    found.id,
    input.satisfied ? 'REPLY_SATISFIED' : 'REPLY_DISPUTED',
    () => reporter,
    (_complaint, nodes) => ({
      note: input.body,
      apply: (locked, _tx, now, calendar) => {
        locked.closesAt = null;
        if (input.satisfied) {
          locked.closedBy = 'REPORTER';
          locked.closedAt = now;
        } else {
          locked.disputeCount += 1;
          locked.followUpDueAt = calendar.endOfNthWorkingDayAfter(now, DEADLINE_WORKING_DAYS.followUp, nodes.assigned!.timeZone);
        }
        return locked.assignedAgencyId;
      },
    }),
    null,
  );
}
