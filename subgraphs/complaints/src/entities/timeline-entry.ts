import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ComplaintStatus } from './complaint';

export const TIMELINE_ACTIONS = ['SUBMIT', 'VERIFY', 'REJECT', 'FORWARD', 'FOLLOW_UP', 'REPLY_SATISFIED', 'REPLY_DISPUTED', 'AUTO_CLOSE', 'ESCALATION_ACCEPTED', 'MARK_DUPLICATE'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
export type ActorKind = 'OFFICER' | 'REPORTER' | 'PUBLIC' | 'SYSTEM';

/** One change of a complaint. Rows are only ever inserted (a database trigger refuses the rest). */
export const TimelineEntrySchema = defineEntity({
  name: 'TimelineEntry',
  schema: 'complaints',
  tableName: 'timeline_entry',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    complaintId: p.uuid(),
    action: p.string().$type<TimelineAction>(),
    fromStatus: p.string().$type<ComplaintStatus>().nullable(),
    toStatus: p.string().$type<ComplaintStatus>(),
    actorKind: p.string().$type<ActorKind>(),
    actorRole: p.string().nullable(),
    actorAgencyId: p.string().nullable(),
    /** The node the step concerns, e.g. where a complaint was forwarded. */
    agencyId: p.string().nullable(),
    note: p.text().nullable(),
    at: p.datetime(),
  },
});

export type TimelineEntry = InferEntity<typeof TimelineEntrySchema>;
