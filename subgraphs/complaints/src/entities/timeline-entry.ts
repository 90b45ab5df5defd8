import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import type { ComplaintStatus } from './complaint';

export const TIMELINE_ACTIONS = ['SUBMIT', 'VERIFY', 'REJECT', 'FORWARD', 'FOLLOW_UP', 'REPLY_SATISFIED', 'REPLY_DISPUTED', 'AUTO_CLOSE', 'ESCALATION_ACCEPTED'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
export type ActorKind = 'OFFICER' | 'REPORTER' | 'PUBLIC' | 'SYSTEM';

/** One change of a complaint. Rows are only ever inserted (a database trigger refuses the rest). */
export class TimelineEntry {
  id: string = randomUUID();
  complaintId!: string;
  action!: TimelineAction;
  fromStatus: ComplaintStatus | null = null;
  toStatus!: ComplaintStatus;
  actorKind!: ActorKind;
  actorRole: string | null = null;
  actorAgencyId: string | null = null;
  /** The node the step concerns, e.g. where a complaint was forwarded. */
  agencyId: string | null = null;
  note: string | null = null;
  at: Date = new Date();
}

export const TimelineEntrySchema = new EntitySchema<TimelineEntry>({
  class: TimelineEntry,
  schema: 'complaints',
  tableName: 'timeline_entry',
  properties: {
    id: { type: 'uuid', primary: true },
    complaintId: { type: 'uuid' },
    action: { type: 'string' },
    fromStatus: { type: 'string', nullable: true },
    toStatus: { type: 'string' },
    actorKind: { type: 'string' },
    actorRole: { type: 'string', nullable: true },
    actorAgencyId: { type: 'string', nullable: true },
    agencyId: { type: 'string', nullable: true },
    note: { type: 'text', nullable: true },
    at: { type: 'Date' },
  },
});
