import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WebhookEventType } from '../domain/events';

/** Something that happened in the hub, recorded once by the id its producer gave it. */
export const HubEventSchema = defineEntity({
  name: 'HubEvent',
  schema: 'webhooks',
  tableName: 'hub_event',
  properties: {
    id: p.uuid().primary(),
    type: p.string().$type<WebhookEventType>(),
    occurredAt: p.datetime(),
    /** The nodes that read it as their own: the nodes it concerns and, for a unit, its node. */
    agencyIds: p.array(),
    /** The nodes above those, which monitor it: subscriptions that include descendants receive it there. */
    ancestorIds: p.array(),
    supervisory: p.boolean(),
    confidential: p.boolean(),
    complaintId: p.uuid().nullable(),
    escalationId: p.uuid().nullable(),
    payload: p.json<Record<string, unknown>>(),
    recordedAt: p.datetime(),
  },
});

export type HubEvent = InferEntity<typeof HubEventSchema>;
