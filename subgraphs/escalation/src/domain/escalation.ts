import { homeNodeId, scopePath, type NodeFacts, type Officer } from '@lapor-hub/lib';
import type { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import type { Escalation, EscalationReason } from '../entities/escalation';

/** Days the target node has to answer an escalation. */
export const RESPONSE_WORKING_DAYS = 3;

/** What a new escalation is made of; the rest (its id, status OPEN, no answer yet) every new one shares. */
export interface EscalationRequest {
  /** The complaint as it is now: a supervisory complaint's escalations are supervisory too. */
  complaint: { id: string; supervisory: boolean };
  /** The node that escalates (the complaint's holder), and the node asked to answer. */
  from: Pick<NodeFacts, 'id'>;
  to: NodeFacts;
  reason: EscalationReason;
  note: string | null;
  /** Who escalated; null for the hub's SLA sweep. */
  actor: Pick<Officer, 'sub' | 'role'> | null;
  calendar: WorkingCalendar;
  now: Date;
  /** For SLA_BREACH: the missed follow-up deadline, which identifies the breach. */
  breachedDueAt?: Date;
}

/** A new escalation's fields; it gets its id when stored, and every new one starts OPEN, unanswered. */
export type NewEscalation = Pick<
  Escalation,
  | 'complaintId'
  | 'fromAgencyId'
  | 'toAgencyId'
  | 'toHomeId'
  | 'toPath'
  | 'reason'
  | 'supervisory'
  | 'note'
  | 'createdBy'
  | 'createdByRole'
  | 'createdAt'
  | 'respondDueAt'
  | 'breachedDueAt'
>;

/**
 * Whether an escalation is supervisory, decided when it is made: its complaint is supervisory (about
 * officials, the Inspectorate's alone), or it asks the Inspectorate to take the complaint.
 */
export function isSupervisoryEscalation(complaintSupervisory: boolean, reason: EscalationReason): boolean {
  return complaintSupervisory || reason === 'SUPERVISORY';
}

/**
 * A new escalation, however it is made (an officer's request, a declined WRONG_AGENCY sent on to
 * the national node, the SLA sweep): the target answers by the end of its 3rd working day in its
 * own time zone, and the dashboard counts it at the target's home node and every scope above.
 */
export function newEscalation(request: EscalationRequest): NewEscalation {
  const { complaint, from, to, reason, note, actor, calendar, now } = request;
  return {
    complaintId: complaint.id,
    fromAgencyId: from.id,
    toAgencyId: to.id,
    toHomeId: homeNodeId(to),
    toPath: scopePath(to),
    reason,
    // Fixed now: who may read and answer it does not change if the complaint's marking does later.
    supervisory: isSupervisoryEscalation(complaint.supervisory, reason),
    note,
    createdBy: actor?.sub ?? null,
    createdByRole: actor?.role ?? null,
    createdAt: now,
    respondDueAt: calendar.endOfNthWorkingDayAfter(now, RESPONSE_WORKING_DAYS, to.timeZone),
    breachedDueAt: request.breachedDueAt ?? null,
  };
}
