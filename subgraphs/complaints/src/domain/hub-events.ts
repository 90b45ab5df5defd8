import { randomUUID } from 'node:crypto';
import { deterministicEventId, type HubEvent, type WebhookEventType } from '@lapor-hub/lib/database';
import type { Complaint } from '../entities/complaint';
import type { LifecycleAction } from './workflow';

/**
 * What an agency system is told of a complaint: ids, the tracking id, the status, the deadlines
 * and the nodes. Never the reporter (not even for a complaint that is not anonymous), nor the
 * title or the body, in which a reporter may name themselves.
 */
export function complaintPayload(complaint: Complaint, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    complaintId: complaint.id,
    trackingId: complaint.trackingId,
    status: complaint.status,
    complaintType: complaint.type,
    channel: complaint.channel,
    anonymous: complaint.anonymous,
    confidential: complaint.confidential,
    supervisory: complaint.supervisory,
    addressedAgencyId: complaint.addressedAgencyId,
    assignedAgencyId: complaint.assignedAgencyId ?? null,
    verifyDueAt: complaint.verifyDueAt?.toISOString() ?? null,
    followUpDueAt: complaint.followUpDueAt?.toISOString() ?? null,
    closesAt: complaint.closesAt?.toISOString() ?? null,
    closedBy: complaint.closedBy ?? null,
    ...extra,
  };
}

/**
 * The nodes a complaint's events concern, as `domain/access.ts` lets their officers read it as
 * their own: the node holding it, and the node it is addressed to (whose admin reads it wherever
 * it is held). The webhooks subgraph adds their home nodes (a unit's) and, for subscriptions that
 * include descendants, the nodes above them. A supervisory complaint's events go to Inspectorate
 * subscriptions only (the `supervisory` flag), and an Inspectorate reads it only where it is held
 * (or above it): the addressed node is left out, and with it, should the complaint have been moved
 * to another part of the tree, the nodes above the addressed one; they hear less, never more.
 */
export function receivingNodes(complaint: Pick<Complaint, 'assignedAgencyId' | 'addressedAgencyId' | 'supervisory'>): string[] {
  const holder = complaint.assignedAgencyId ?? complaint.addressedAgencyId;
  return [...new Set([holder, ...(complaint.supervisory ? [] : [complaint.addressedAgencyId])])];
}

export function complaintEvent(
  type: WebhookEventType,
  complaint: Complaint,
  at: Date,
  extra: Record<string, unknown> = {},
  id: string = randomUUID(),
): HubEvent {
  return {
    id,
    type,
    occurredAt: at,
    agencyIds: receivingNodes(complaint),
    supervisory: complaint.supervisory,
    confidential: complaint.confidential,
    complaintId: complaint.id,
    escalationId: null,
    payload: complaintPayload(complaint, extra),
  };
}

/** What a step of the workflow tells agency systems (a verification tells nothing: the node already knows). */
export function stepEvents(action: LifecycleAction, complaint: Complaint, at: Date, actorRole: string | null): HubEvent[] {
  const event = (type: WebhookEventType, extra: Record<string, unknown> = {}) => complaintEvent(type, complaint, at, { actorRole, ...extra });
  switch (action) {
    case 'FORWARD':
    case 'ESCALATION_ACCEPTED':
      return [event('COMPLAINT_ASSIGNED')];
    case 'FOLLOW_UP':
      return [event('COMPLAINT_FOLLOWED_UP')];
    case 'REPLY_SATISFIED':
      return [event('COMPLAINT_REPLIED', { satisfied: true }), event('COMPLAINT_CLOSED')];
    case 'REPLY_DISPUTED':
      return [event('COMPLAINT_REPLIED', { satisfied: false })];
    case 'AUTO_CLOSE':
      return [event('COMPLAINT_CLOSED')];
    case 'MARK_DUPLICATE':
      return [event('COMPLAINT_CLOSED', { duplicateOfId: complaint.duplicateOfId ?? null })];
    case 'REJECT':
      // Rejected at verification: finished, like a closing, and the node should stop waiting for it.
      return [event('COMPLAINT_CLOSED')];
    default:
      return [];
  }
}

/** Which deadline a complaint waits on (see `currentDeadline`). */
const DEADLINE_OF_STATUS: Partial<Record<Complaint['status'], string>> = { SUBMITTED: 'VERIFY', VERIFIED: 'VERIFY', FORWARDED: 'FOLLOW_UP' };

/** A deadline that passed, reported once however often the sweep finds it (its id names the complaint, the deadline and its time). */
export function overdueEvent(complaint: Complaint, now: Date): HubEvent | null {
  const deadline = DEADLINE_OF_STATUS[complaint.status];
  if (!deadline || !complaint.currentDueAt) return null;
  const dueAt = complaint.currentDueAt.toISOString();
  return complaintEvent('COMPLAINT_OVERDUE', complaint, now, { deadline, dueAt }, deterministicEventId('COMPLAINT_OVERDUE', complaint.id, deadline, dueAt));
}
