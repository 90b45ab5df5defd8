import { homeNodeId, homeNodeKind, scopePath, type NodeFacts, type WorkingCalendar } from '@lapor-hub/lib';
import type { Complaint } from '../entities/complaint';
import { DEADLINE_WORKING_DAYS } from './lifecycle';

/** Records the node that holds a complaint as the dashboard groups it. */
export function recordHolder(complaint: Complaint, holder: NodeFacts): void {
  complaint.holderHomeId = homeNodeId(holder);
  complaint.holderHomeKind = homeNodeKind(holder);
  complaint.holderPath = scopePath(holder);
}

/**
 * Assigns a complaint to a node at `at`. A new node gets a fresh follow-up deadline (5 working days
 * in its zone) and counts as receiving it then; a unit inside the node that already holds it keeps
 * the node's deadline and reception time.
 */
export function assignTo(complaint: Complaint, target: NodeFacts, at: Date, calendar: WorkingCalendar, sameNode: boolean): void {
  if (!sameNode) {
    complaint.followUpDueAt = calendar.endOfNthWorkingDayAfter(at, DEADLINE_WORKING_DAYS.followUp, target.timeZone);
    complaint.forwardedAt = at;
  }
  complaint.assignedAgencyId = target.id;
  recordHolder(complaint, target);
}
