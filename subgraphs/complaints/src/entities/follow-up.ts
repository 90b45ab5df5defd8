import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The assigned node's answer to a complaint. */
export const FollowUpSchema = defineEntity({
  name: 'FollowUp',
  schema: 'complaints',
  tableName: 'follow_up',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    complaintId: p.uuid(),
    agencyId: p.string(),
    authorRole: p.string(),
    body: p.text(),
    postedAt: p.datetime(),
  },
});

export type FollowUp = InferEntity<typeof FollowUpSchema>;
