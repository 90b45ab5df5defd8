import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ESCALATION_REASONS = [
  'WRONG_AGENCY',
  'HIGHER_AUTHORITY',
  'SUPERVISORY',
  'NEEDS_COORDINATION',
  'SLA_BREACH',
  'REPORTER_DISPUTE',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const ESCALATION_STATUSES = ['OPEN', 'ACCEPTED', 'DECLINED'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];
export type Reassignment = 'PENDING' | 'APPLIED' | 'NOT_APPLIED_FINISHED' | 'REFUSED';

/**
 * A request from one node to another to take over, or contribute to, a complaint. The complaint and
 * both nodes belong to other subgraphs, so they are plain ids, not relations.
 */
export const EscalationSchema = defineEntity({
  name: 'Escalation',
  schema: 'escalation',
  tableName: 'escalation',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    complaintId: p.uuid(),
    fromAgencyId: p.string(),
    toAgencyId: p.string(),
    reason: p.string().$type<EscalationReason>(),
    /**
     * The complaint was supervisory (about officials, the Inspectorate's alone) when it was escalated,
     * or the escalation asks the Inspectorate to take it (reason SUPERVISORY). Only the Inspectorate
     * and the national admin read or answer such an escalation (`domain/access.ts`).
     */
    supervisory: p.boolean().default(false),
    status: p.string().$type<EscalationStatus>().default('OPEN'),
    note: p.string().nullable(),
    responseNote: p.string().nullable(),
    /** The `sub` of the officer who escalated; null when the hub's SLA sweep did. */
    createdBy: p.string().nullable(),
    createdByRole: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** End of the 3rd working day after `createdAt`, in the target node's time zone. */
    respondDueAt: p.datetime(),
    respondedAt: p.datetime().nullable(),
    respondedBy: p.string().nullable(),
    respondedByRole: p.string().nullable(),
    /** For SLA_BREACH: the follow-up deadline that was missed, so that one breach escalates once. */
    breachedDueAt: p.datetime().nullable(),
    /** When the SLA sweep reported the answer deadline as passed (ESCALATION_OVERDUE), once; null before. */
    overdueReportedAt: p.datetime().nullable(),
    /** For an accepted escalation that moves the complaint: how far the reassignment got. */
    reassignment: p.string().$type<Reassignment>().nullable(),
    /** The target's home node (a unit's parent) and every scope it counts in, for the dashboard. */
    toHomeId: p.string().nullable(),
    toPath: p.array(),
    /** Optimistic lock: an answer to an escalation that changed meanwhile fails instead of overwriting. */
    version: p.integer().version(),
  },
});

export type Escalation = InferEntity<typeof EscalationSchema>;
