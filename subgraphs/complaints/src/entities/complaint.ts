import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';

export const COMPLAINT_TYPES = ['COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST'] as const;
export type ComplaintType = (typeof COMPLAINT_TYPES)[number];
export const CHANNELS = ['WEB', 'SMS', 'MOBILE', 'SOCIAL_MEDIA', 'LETTER', 'WALK_IN'] as const;
export type Channel = (typeof CHANNELS)[number];
export const COMPLAINT_STATUSES = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export type ClosedBy = 'REPORTER' | 'SYSTEM';

/**
 * A complaint. The reporter's contact details live in their own table (`ReporterContact`), and the
 * reporter's token only as a hash, so that a dump of this table alone does not say who reported.
 */
export class Complaint {
  id: string = randomUUID();
  trackingId!: string;
  type!: ComplaintType;
  title!: string;
  body!: string;
  status: ComplaintStatus = 'SUBMITTED';
  channel!: Channel;
  anonymous = false;
  confidential = false;
  regionCode: string | null = null;
  categoryId: string | null = null;
  addressedAgencyId!: string;
  assignedAgencyId: string | null = null;
  reporterTokenHash!: string;
  /** The client's retry key and a fingerprint of what it submitted with it. */
  idempotencyKey: string | null = null;
  submissionFingerprint: string | null = null;
  submittedAt: Date = new Date();
  /** End of the 3rd working day after submission, in the addressed node's time zone. */
  verifyDueAt: Date | null = null;
  /**
   * End of the 5th working day after forwarding (or after a disputed reply, or after the node
   * accepted an escalation), in the assigned node's zone.
   */
  followUpDueAt: Date | null = null;
  /** End of the 10th working day after the follow-up: the sweep closes it then. */
  closesAt: Date | null = null;
  /** The deadline of the step the complaint waits in (derived by `currentDeadline`), indexed for `overdue`. */
  currentDueAt: Date | null = null;
  rejectionReason: string | null = null;
  closedBy: ClosedBy | null = null;
  /** How many times the reporter sent the follow-up back, unsatisfied. */
  disputeCount = 0;
  /** Handled by the Inspectorate (APIP) of the holding node only. */
  supervisory = false;
  /** When the current holder node received it (a unit inside the same node keeps the time). */
  forwardedAt: Date | null = null;
  followedUpAt: Date | null = null;
  /** Working days from `forwardedAt` to the latest follow-up. */
  followUpWorkingDays: number | null = null;
  closedAt: Date | null = null;
  /** The holder (assigned, else addressed node) as the dashboard groups it: its home node and kind, and every scope it counts in. */
  holderHomeId: string | null = null;
  holderHomeKind: string | null = null;
  holderPath: string[] = [];
  updatedAt: Date = new Date();
  version = 1;
}

export const ComplaintSchema = new EntitySchema<Complaint>({
  class: Complaint,
  schema: 'complaints',
  tableName: 'complaint',
  properties: {
    id: { type: 'uuid', primary: true },
    trackingId: { type: 'string', unique: true },
    type: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'text' },
    status: { type: 'string' },
    channel: { type: 'string' },
    anonymous: { type: 'boolean' },
    confidential: { type: 'boolean' },
    regionCode: { type: 'string', nullable: true },
    categoryId: { type: 'string', nullable: true },
    addressedAgencyId: { type: 'string' },
    assignedAgencyId: { type: 'string', nullable: true },
    reporterTokenHash: { type: 'string', hidden: true },
    idempotencyKey: { type: 'string', nullable: true, unique: true },
    submissionFingerprint: { type: 'string', nullable: true },
    submittedAt: { type: 'Date' },
    verifyDueAt: { type: 'Date', nullable: true },
    followUpDueAt: { type: 'Date', nullable: true },
    closesAt: { type: 'Date', nullable: true },
    currentDueAt: { type: 'Date', nullable: true },
    rejectionReason: { type: 'string', nullable: true },
    closedBy: { type: 'string', nullable: true },
    disputeCount: { type: 'integer' },
    supervisory: { type: 'boolean' },
    forwardedAt: { type: 'Date', nullable: true },
    followedUpAt: { type: 'Date', nullable: true },
    followUpWorkingDays: { type: 'integer', nullable: true },
    closedAt: { type: 'Date', nullable: true },
    holderHomeId: { type: 'string', nullable: true },
    holderHomeKind: { type: 'string', nullable: true },
    holderPath: { type: 'string[]' },
    updatedAt: { type: 'Date', onUpdate: () => new Date() },
    version: { type: 'integer', version: true },
  },
});
