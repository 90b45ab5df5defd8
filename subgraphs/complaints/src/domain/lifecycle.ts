import { ConflictError } from '@lapor-hub/lib';
import type { Complaint, ComplaintStatus } from '../entities/complaint';
import type { TimelineAction } from '../entities/timeline-entry';

/** The workflow of seed 004: which step may follow which. */
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

/**
 * The deadline of the step a complaint waits in: verification and forwarding while SUBMITTED or
 * VERIFIED, the follow-up while FORWARDED. A followed-up complaint closes by itself; a finished one
 * has no deadline.
 */
export function currentDeadline(complaint: Pick<Complaint, 'status' | 'verifyDueAt' | 'followUpDueAt'>): Date | null {
  switch (complaint.status) {
    case 'SUBMITTED':
    case 'VERIFIED':
      return complaint.verifyDueAt;
    case 'FORWARDED':
      return complaint.followUpDueAt;
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
  return complaint.currentDueAt !== null && complaint.currentDueAt.getTime() < now.getTime();
}

/** Working days the regulation gives each step. */
export const DEADLINE_WORKING_DAYS = { verify: 3, followUp: 5, close: 10 } as const;
