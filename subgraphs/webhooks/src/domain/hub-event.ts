import { z } from 'zod';
import { isIsoTimestamp, isUuid, lineText } from '@lapor-hub/lib';
import { WEBHOOK_EVENTS } from './events';

const id = lineText(200);
const uuid = z.string().refine(isUuid, 'must be a UUID');
const timestamp = z.string().refine(isIsoTimestamp, 'must be an ISO-8601 timestamp');

/**
 * What a message's `data` may carry: ids, the tracking id, statuses, deadlines and nodes. Every
 * other key is refused (`strict`), so that a producer's mistake can never put a reporter's name,
 * e-mail or phone, or a complaint's text, into a message to an agency system.
 */
export const hubEventPayload = z
  .object({
    complaintId: uuid,
    trackingId: id,
    status: id,
    complaintType: id,
    channel: id,
    anonymous: z.boolean(),
    confidential: z.boolean(),
    supervisory: z.boolean(),
    addressedAgencyId: id,
    assignedAgencyId: id.nullable(),
    previousAgencyId: id.nullable(),
    verifyDueAt: timestamp.nullable(),
    followUpDueAt: timestamp.nullable(),
    closesAt: timestamp.nullable(),
    closedBy: id.nullable(),
    /** A complaint closed as a duplicate: the original its reporter follows now. */
    duplicateOfId: uuid.nullable(),
    satisfied: z.boolean(),
    /** COMPLAINT_OVERDUE, ESCALATION_OVERDUE: which deadline passed (`VERIFY`, `FOLLOW_UP`; `ESCALATION_RESPONSE`) and when. */
    deadline: id,
    dueAt: timestamp,
    escalationId: uuid,
    reason: id,
    fromAgencyId: id,
    toAgencyId: id,
    escalationStatus: id,
    respondDueAt: timestamp.nullable(),
    /** Who acted (a role, never a person's name): absent when the hub itself did. */
    actorRole: id.nullable(),
    version: z.number().int(),
  })
  .partial()
  .strict();

/** One event as a producing subgraph reports it (`HubEventInput`). */
export const hubEventInput = z.object({
  id: uuid,
  type: z.enum(WEBHOOK_EVENTS),
  occurredAt: z.date(),
  agencyIds: z.array(id).max(50),
  supervisory: z.boolean(),
  confidential: z.boolean(),
  complaintId: uuid.nullish(),
  escalationId: uuid.nullish(),
  payload: hubEventPayload,
});

export const recordHubEventsInput = z.object({ events: z.array(hubEventInput).max(500) });

export type HubEventInput = z.output<typeof hubEventInput>;
