import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';

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
export class Escalation {
  id: string = randomUUID();
  complaintId!: string;
  fromAgencyId!: string;
  toAgencyId!: string;
  reason!: EscalationReason;
  /**
   * The complaint was supervisory (about officials, the Inspectorate's alone) when it was escalated,
   * or the escalation asks the Inspectorate to take it (reason SUPERVISORY). Only the Inspectorate
   * and the national admin read or answer such an escalation (`domain/access.ts`).
   */
  supervisory = false;
  status: EscalationStatus = 'OPEN';
  note: string | null = null;
  responseNote: string | null = null;
  /** The `sub` of the officer who escalated; null when the hub's SLA sweep did. */
  createdBy: string | null = null;
  createdByRole: string | null = null;
  createdAt: Date = new Date();
  /** End of the 3rd working day after `createdAt`, in the target node's time zone. */
  respondDueAt!: Date;
  respondedAt: Date | null = null;
  respondedBy: string | null = null;
  respondedByRole: string | null = null;
  /** For SLA_BREACH: the follow-up deadline that was missed, so that one breach escalates once. */
  breachedDueAt: Date | null = null;
  /** The target's home node (a unit's parent) and every scope it counts in, for the dashboard. */
  toHomeId: string | null = null;
  toPath: string[] = [];
  /** For an accepted escalation that moves the complaint: how far the reassignment got. */
  reassignment: Reassignment | null = null;
  /** Optimistic lock: an answer to an escalation that changed meanwhile fails instead of overwriting. */
  version!: number;
}

export const EscalationSchema = new EntitySchema<Escalation>({
  class: Escalation,
  schema: 'escalation',
  tableName: 'escalation',
  properties: {
    id: { type: 'uuid', primary: true },
    complaintId: { type: 'uuid' },
    fromAgencyId: { type: 'string' },
    toAgencyId: { type: 'string' },
    reason: { type: 'string' },
    supervisory: { type: 'boolean' },
    status: { type: 'string' },
    note: { type: 'string', nullable: true },
    responseNote: { type: 'string', nullable: true },
    createdBy: { type: 'string', nullable: true },
    createdByRole: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
    respondDueAt: { type: 'Date' },
    respondedAt: { type: 'Date', nullable: true },
    respondedBy: { type: 'string', nullable: true },
    respondedByRole: { type: 'string', nullable: true },
    breachedDueAt: { type: 'Date', nullable: true },
    reassignment: { type: 'string', nullable: true },
    toHomeId: { type: 'string', nullable: true },
    toPath: { type: 'string[]' },
    version: { type: 'integer', version: true },
  },
});
