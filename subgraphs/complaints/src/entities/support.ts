import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A citizen's support of a public complaint ("me too", dukung): one per complaint and
 * idempotency key. The supporter's contact, when left, is sealed like a reporter's (bound to the
 * support's id), for the notifications the reporter also gets, until the supporter stops them.
 */
export const SupportSchema = defineEntity({
  name: 'Support',
  schema: 'complaints',
  tableName: 'support',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    complaintId: p.uuid(),
    idempotencyKey: p.uuid(),
    sealed: p.blob().$type<Buffer>().nullable(),
    createdAt: p.datetime(),
    stoppedAt: p.datetime().nullable(),
  },
});

export type Support = InferEntity<typeof SupportSchema>;
