import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WebhookEventType } from '../domain/events';

/**
 * A URL of an agency system subscribed to events of one node. Whom it stands for decides what it
 * receives (`domain/access.ts`): made by the node's Inspectorate, the node's supervisory complaints
 * only; made by the node's admin or the national admin, what the node's other officers may read.
 */
export const WebhookSubscriptionSchema = defineEntity({
  name: 'WebhookSubscription',
  schema: 'webhooks',
  tableName: 'subscription',
  properties: {
    id: p.uuid().primary(),
    agencyId: p.string(),
    url: p.string(),
    events: p.array().$type<WebhookEventType[]>(),
    description: p.string().nullable(),
    /** The key (`WebhookSecretKeyring`) the secrets are sealed under. */
    secretKeyId: p.string(),
    /** The Standard Webhooks signing secret (`whsec_…`), sealed (`domain/secret-sealing.ts`). */
    secretSealed: p.blob().$type<Buffer>(),
    /** The secret before the last rotation, sealed: it still signs, beside the new one, until it expires. */
    previousSecretSealed: p.blob().$type<Buffer>().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** Made by an INSPECTOR: receives the node's supervisory complaints' events, and only those. */
    inspectorate: p.boolean(),
    /** Also receives the events of the nodes below its node (a province's of its regencies), as their officers may read them. */
    includeDescendants: p.boolean().default(false),
    active: p.boolean().default(true),
    disabledReason: p.string().nullable(),
    /** Since when every delivery has failed (null while the last one succeeded); three days of it disable the subscription. */
    failingSince: p.datetime().nullable(),
    createdBy: p.string(),
    createdByRole: p.string(),
    createdAt: p.datetime(),
  },
});

export type WebhookSubscription = InferEntity<typeof WebhookSubscriptionSchema>;
