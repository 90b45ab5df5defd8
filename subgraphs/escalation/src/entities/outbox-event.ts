import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';

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
export class OutboxEvent {
  id: string = randomUUID();
  type = 'ESCALATION_ACCEPTED' as const;
  payload!: EscalationAcceptedPayload;
  createdAt: Date = new Date();
  deliveredAt: Date | null = null;
  attempts = 0;
  nextAttemptAt: Date = new Date();
  lastError: string | null = null;
}

export const OutboxEventSchema = new EntitySchema<OutboxEvent>({
  class: OutboxEvent,
  schema: 'escalation',
  tableName: 'outbox_event',
  properties: {
    id: { type: 'uuid', primary: true },
    type: { type: 'string' },
    payload: { type: 'json' },
    createdAt: { type: 'Date' },
    deliveredAt: { type: 'Date', nullable: true },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'Date' },
    lastError: { type: 'string', nullable: true },
  },
});
