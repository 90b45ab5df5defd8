import { randomUUID } from 'node:crypto';
import { deterministicEventId, type HubEvent, type WebhookEventType } from '@lapor-hub/lib/database';
import type { Escalation } from '../entities/escalation';

type Described = Pick<
  Escalation,
  'complaintId' | 'fromAgencyId' | 'toAgencyId' | 'reason' | 'supervisory' | 'respondDueAt' | 'toPath' | 'createdAt'
> & { id: string; status: Escalation['status'] };

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

/** A new escalation, told to the node asked to answer and the nodes above it (`toPath`). */
export function escalationReceived(escalation: Described, actorRole: string | null): HubEvent {
  return escalationEvent('ESCALATION_RECEIVED', escalation, escalation.toPath, escalation.createdAt, actorRole);
}

/** An answer, told to the node that escalated and the nodes above it (`fromPath`: its scope path). */
export function escalationAnswered(escalation: Described, fromPath: string[], at: Date, actorRole: string | null): HubEvent {
  return escalationEvent('ESCALATION_ANSWERED', escalation, fromPath, at, actorRole);
}

/**
 * The answer's deadline passed with no answer: told to the node that should have answered and the
 * node waiting for it (both read the escalation), and the nodes above the one asked
 * (`toPath`). Its id names the escalation and the deadline, so a repeat writes nothing new.
 */
export function escalationOverdue(escalation: Described, at: Date): HubEvent {
  const dueAt = escalation.respondDueAt.toISOString();
  return escalationEvent(
    'ESCALATION_OVERDUE',
    escalation,
    [...new Set([...escalation.toPath, escalation.fromAgencyId])],
    at,
    null,
    { deadline: 'ESCALATION_RESPONSE', dueAt },
    deterministicEventId('ESCALATION_OVERDUE', escalation.id, dueAt),
  );
}
