import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';

/** The assigned node's answer to a complaint. */
export class FollowUp {
  id: string = randomUUID();
  complaintId!: string;
  agencyId!: string;
  authorRole!: string;
  body!: string;
  postedAt: Date = new Date();
}

export const FollowUpSchema = new EntitySchema<FollowUp>({
  class: FollowUp,
  schema: 'complaints',
  tableName: 'follow_up',
  properties: {
    id: { type: 'uuid', primary: true },
    complaintId: { type: 'uuid' },
    agencyId: { type: 'string' },
    authorRole: { type: 'string' },
    body: { type: 'text' },
    postedAt: { type: 'Date' },
  },
});
