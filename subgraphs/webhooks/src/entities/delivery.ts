import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WebhookEventType } from '../domain/events';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event's message to one subscription. Its id is the message's `webhook-id`, the same on every
 * attempt. A pending delivery is sent only after every earlier one of its subscription and
 * complaint (its `orderingKey`) was delivered or failed.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  schema: 'webhooks',
  tableName: 'delivery',
  properties: {
    id: p.uuid().primary(),
    subscriptionId: p.uuid(),
    eventId: p.uuid(),
    event: p.string().$type<WebhookEventType>(),
    /** The complaint (or, without one, the escalation or the event) whose messages keep their order. */
    orderingKey: p.string(),
    status: p.string().$type<DeliveryStatus>(),
    attempts: p.integer(),
    responseStatus: p.integer().nullable(),
    lastError: p.string().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    /** Due (or, while an attempt is under way, when a worker that died with it is presumed dead); null once finished. */
    nextAttemptAt: p.datetime().nullable(),
    /** Retried until then, then FAILED. */
    giveUpAt: p.datetime(),
    createdAt: p.datetime(),
  },
});

export type WebhookDelivery = InferEntity<typeof WebhookDeliverySchema>;
