import { randomUUID } from 'node:crypto';
import { deterministicEventId, type HubEvent, type WebhookEventType } from '@lapor-hub/lib/database';
import type { Escalation } from '../entities/escalation';

type Described = Pick<Escalation, 'complaintId' | 'fromAgencyId' | 'toAgencyId' | 'reason' | 'supervisory' | 'respondDueAt' | 'createdAt'> & {
  id: string;
  status: Escalation['status'];
};

/**
 * What an agency system is told of an escalation: ids, the nodes at either end, the reason, the
 * status and the answer's deadline; never the notes, which may quote the reporter.
 */
function escalationEvent(
  type: WebhookEventType,
  escalation: Described,
  agencyIds: string[],
  at: Date,
  actorRole: string | null,
  extra: Record<string, unknown> = {},
  id: string = randomUUID(),
): HubEvent {
  return {
    id,
    type,
    occurredAt: at,
    agencyIds,
    // Read only by the Inspectorate (and the national admin): `domain/access.ts`.
    supervisory: escalation.supervisory,
    confidential: false,
    complaintId: escalation.complaintId,
    escalationId: escalation.id,
    payload: {
      escalationId: escalation.id,
      complaintId: escalation.complaintId,
      reason: escalation.reason,
      fromAgencyId: escalation.fromAgencyId,
      toAgencyId: escalation.toAgencyId,
      escalationStatus: escalation.status,
      respondDueAt: escalation.respondDueAt.toISOString(),
      supervisory: escalation.supervisory,
      actorRole,
      ...extra,
    },
  };
}

// Each event names the nodes it concerns, at one end or both (both read the escalation); the
// webhooks subgraph adds their home nodes and, for subscriptions that include descendants, the
// nodes above them.

/** A new escalation, told to the node asked to answer. */
export function escalationReceived(escalation: Described, actorRole: string | null): HubEvent {
  return escalationEvent('ESCALATION_RECEIVED', escalation, [escalation.toAgencyId], escalation.createdAt, actorRole);
}

/** An answer, told to the node that escalated. */
export function escalationAnswered(escalation: Described, at: Date, actorRole: string | null): HubEvent {
  return escalationEvent('ESCALATION_ANSWERED', escalation, [escalation.fromAgencyId], at, actorRole);
}

/**
 * The answer's deadline passed with no answer: told to the node that should have answered and the
 * node waiting for it. Its id names the escalation and the deadline, so a repeat writes nothing new.
 */
export function escalationOverdue(escalation: Described, at: Date): HubEvent {
  const dueAt = escalation.respondDueAt.toISOString();
  return escalationEvent(
    'ESCALATION_OVERDUE',
    escalation,
    [...new Set([escalation.toAgencyId, escalation.fromAgencyId])],
    at,
    null,
    { deadline: 'ESCALATION_RESPONSE', dueAt },
    deterministicEventId('ESCALATION_OVERDUE', escalation.id, dueAt),
  );
}
