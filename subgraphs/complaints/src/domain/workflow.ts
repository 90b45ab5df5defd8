import { ConflictError, homeNodeId, homeNodeKind, scopePath, type NodeFacts } from '@lapor-hub/lib';
import { type WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import type { Complaint, ComplaintStatus } from '../entities/complaint';
import type { TimelineAction } from '../entities/timeline-entry';

/** The SP4N-LAPOR! workflow (README, "Workflow, deadlines and roles"): which step may follow which. */
const TRANSITIONS: Record<Exclude<TimelineAction, 'SUBMIT'>, { from: readonly ComplaintStatus[]; to: ComplaintStatus }> = {
  VERIFY: { from: ['SUBMITTED'], to: 'VERIFIED' },
  REJECT: { from: ['SUBMITTED', 'VERIFIED'], to: 'REJECTED' },
  // A forwarded complaint may be forwarded again: to a unit inside the node, or by the national
  // admin to the node that really has the authority (no wrong door).
  FORWARD: { from: ['VERIFIED', 'FORWARDED'], to: 'FORWARDED' },
  FOLLOW_UP: { from: ['FORWARDED'], to: 'FOLLOWED_UP' },
  REPLY_SATISFIED: { from: ['FOLLOWED_UP'], to: 'CLOSED' },
  REPLY_DISPUTED: { from: ['FOLLOWED_UP'], to: 'FORWARDED' },
  AUTO_CLOSE: { from: ['FOLLOWED_UP'], to: 'CLOSED' },
  // A node accepted an escalation of the complaint (applied from the escalation subgraph's event):
  // it holds the complaint from then on, whatever step it was waiting in, unless it is finished.
  ESCALATION_ACCEPTED: { from: ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP'], to: 'FORWARDED' },
  // The same matter reported before: an open complaint closes, and follows the original.
  MARK_DUPLICATE: { from: ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP'], to: 'CLOSED' },
};

export type LifecycleAction = keyof typeof TRANSITIONS;

/** The status an action leads to; any other move is a `CONFLICT`. */
export function nextStatus(current: ComplaintStatus, action: LifecycleAction): ComplaintStatus {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(current)) {
    throw new ConflictError(`A ${current} complaint cannot take ${action}; it must be ${transition.from.join(' or ')}`);
  }
  return transition.to;
}

/** Working days the regulation gives each step. */
export const DEADLINE_WORKING_DAYS = { verify: 3, followUp: 5, close: 10 } as const;

/** The end of a step's working days after `at`, in the zone of the node that must act. */
export function deadlineOf(step: keyof typeof DEADLINE_WORKING_DAYS, at: Date, node: Pick<NodeFacts, 'timeZone'>, calendar: WorkingCalendar): Date {
  return calendar.endOfNthWorkingDayAfter(at, DEADLINE_WORKING_DAYS[step], node.timeZone);
}

/**
 * The deadline of the step a complaint waits in: verification and forwarding while SUBMITTED or
 * VERIFIED, the follow-up while FORWARDED. A followed-up complaint closes by itself; a finished one
 * has no deadline.
 */
export function currentDeadline(complaint: Pick<Complaint, 'status' | 'verifyDueAt' | 'followUpDueAt'>): Date | null {
  switch (complaint.status) {
    case 'SUBMITTED':
    case 'VERIFIED':
      return complaint.verifyDueAt ?? null;
    case 'FORWARDED':
      return complaint.followUpDueAt ?? null;
    default:
      return null;
  }
}

/** Statuses no step leads out of: the complaint is finished. */
export const FINISHED_STATUSES: readonly ComplaintStatus[] = ['CLOSED', 'REJECTED'];

export function isFinished(complaint: Pick<Complaint, 'status'>): boolean {
  return FINISHED_STATUSES.includes(complaint.status);
}

export function isOverdue(complaint: Pick<Complaint, 'currentDueAt'>, now: Date): boolean {
  return complaint.currentDueAt != null && complaint.currentDueAt.getTime() < now.getTime();
}

/** A change asked of a complaint at a version the caller read: any other version is a `CONFLICT`. */
export function requireVersion(complaint: Pick<Complaint, 'version'>, expected: number): void {
  if (complaint.version !== expected) {
    throw new ConflictError(`The complaint changed since version ${expected}; it is now at version ${complaint.version}`);
  }
}

/** The holder (assigned, else addressed node) as the dashboard groups it. */
export function holderFields(holder: NodeFacts): Pick<Complaint, 'holderHomeId' | 'holderHomeKind' | 'holderPath'> {
  return { holderHomeId: homeNodeId(holder), holderHomeKind: homeNodeKind(holder), holderPath: scopePath(holder) };
}

/**
 * Assigns a complaint to a node at `at`. A new node gets a fresh follow-up deadline (5 working days
 * in its zone) and counts as receiving it then; a unit inside the node that already holds it keeps
 * the node's deadline and reception time.
 */
function assignTo(complaint: Complaint, target: NodeFacts, at: Date, calendar: WorkingCalendar, sameNode: boolean): void {
  if (!sameNode) {
    complaint.followUpDueAt = deadlineOf('followUp', at, target, calendar);
    complaint.forwardedAt = at;
  }
  complaint.assignedAgencyId = target.id;
  Object.assign(complaint, holderFields(target));
}

/**
 * A step of the workflow with what it needs to know. `assigned` is the node the complaint is
 * assigned to, as the directory knows it (null when it is not assigned or the directory does not
 * know it).
 */
export type Step =
  | { action: 'VERIFY' }
  | { action: 'REJECT'; reason: string }
  | { action: 'FORWARD'; target: NodeFacts; assigned: NodeFacts | null }
  | { action: 'FOLLOW_UP'; assigned: NodeFacts | null }
  | { action: 'REPLY_SATISFIED' }
  | { action: 'REPLY_DISPUTED'; assigned: NodeFacts | null }
  | { action: 'ESCALATION_ACCEPTED'; target: NodeFacts; supervisory: boolean }
  | { action: 'MARK_DUPLICATE'; duplicateOfId: string };

/** What the timeline records of a step taken. */
export interface StepTaken {
  action: LifecycleAction;
  fromStatus: ComplaintStatus;
  toStatus: ComplaintStatus;
  /** The node the step concerns, e.g. where the complaint was forwarded. */
  agencyId: string | null;
}

/** What a step changes besides the status; returns the node it concerns. */
function change(complaint: Complaint, step: Step, at: Date, calendar: WorkingCalendar): string | null {
  switch (step.action) {
    case 'VERIFY':
      return null;
    case 'REJECT':
      complaint.rejectionReason = step.reason;
      return null;
    case 'FORWARD': {
      if (complaint.assignedAgencyId === step.target.id) throw new ConflictError(`The complaint is already assigned to ${step.target.id}`);
      // Passing it to a unit inside the same node keeps the node's deadline.
      const sameNode = complaint.status === 'FORWARDED' && step.assigned !== null && homeNodeId(step.assigned) === homeNodeId(step.target);
      assignTo(complaint, step.target, at, calendar, sameNode);
      return step.target.id;
    }
    case 'FOLLOW_UP': {
      const zone = step.assigned!.timeZone;
      complaint.closesAt = calendar.endOfNthWorkingDayAfter(at, DEADLINE_WORKING_DAYS.close, zone);
      complaint.followedUpAt = at;
      complaint.followUpWorkingDays = complaint.forwardedAt ? calendar.workingDaysBetween(complaint.forwardedAt, at, zone) : null;
      return complaint.assignedAgencyId ?? null;
    }
    case 'REPLY_SATISFIED':
      complaint.closesAt = null;
      complaint.closedBy = 'REPORTER';
      complaint.closedAt = at;
      return complaint.assignedAgencyId ?? null;
    case 'REPLY_DISPUTED':
      complaint.closesAt = null;
      complaint.disputeCount += 1;
      complaint.followUpDueAt = deadlineOf('followUp', at, step.assigned!, calendar);
      return complaint.assignedAgencyId ?? null;
    case 'ESCALATION_ACCEPTED':
      assignTo(complaint, step.target, at, calendar, false);
      complaint.closesAt = null;
      complaint.supervisory = complaint.supervisory || step.supervisory;
      return step.target.id;
    case 'MARK_DUPLICATE':
      complaint.duplicateOfId = step.duplicateOfId;
      complaint.closesAt = null;
      complaint.closedBy = 'DUPLICATE';
      complaint.closedAt = at;
      return null;
  }
}

/**
 * Takes one step of the workflow on a complaint at `at`: checks the transition (else `CONFLICT`),
 * applies the step's change, moves the status and derives the current deadline.
 */
export function takeStep(complaint: Complaint, step: Step, at: Date, calendar: WorkingCalendar): StepTaken {
  const fromStatus = complaint.status;
  const toStatus = nextStatus(fromStatus, step.action);
  const agencyId = change(complaint, step, at, calendar);
  complaint.status = toStatus;
  complaint.currentDueAt = currentDeadline(complaint);
  return { action: step.action, fromStatus, toStatus, agencyId };
}
