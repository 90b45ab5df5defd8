import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** What the complaints service must apply when an escalation that moves a complaint is accepted. */
export interface EscalationAcceptedPayload {
  escalationId: string;
  complaintId: string;
  toAgencyId: string;
  supervisory: boolean;
  note: string | null;
  acceptedAt: string;
  acceptedByRole: string | null;
  acceptedByAgencyId: string | null;
}

/**
 * An event for another subgraph, written in the transaction that caused it and delivered at
 * least once by the relay; its id lets the receiver apply it once.
 */
export const OutboxEventSchema = defineEntity({
  name: 'OutboxEvent',
  schema: 'escalation',
  tableName: 'outbox_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    type: p.string().$type<'ESCALATION_ACCEPTED'>().onCreate(() => 'ESCALATION_ACCEPTED'),
    payload: p.json<EscalationAcceptedPayload>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().onCreate(() => new Date()),
    lastError: p.string().nullable(),
  },
});

export type OutboxEvent = InferEntity<typeof OutboxEventSchema>;
