import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const COMPLAINT_TYPES = ['COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST'] as const;
export type ComplaintType = (typeof COMPLAINT_TYPES)[number];
export const CHANNELS = ['WEB', 'SMS', 'MOBILE', 'SOCIAL_MEDIA', 'LETTER', 'WALK_IN'] as const;
export type Channel = (typeof CHANNELS)[number];
export const COMPLAINT_STATUSES = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export type ClosedBy = 'REPORTER' | 'SYSTEM' | 'DUPLICATE';

/**
 * A complaint. The reporter's contact details live in their own table (`ReporterContact`), and the
 * reporter's token only as a hash, so that a dump of this table alone does not say who reported.
 * A new one is built by `newComplaint` (domain/submission.ts), which sets every field.
 */
export const ComplaintSchema = defineEntity({
  name: 'Complaint',
  schema: 'complaints',
  tableName: 'complaint',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    trackingId: p.string().unique(),
    type: p.string().$type<ComplaintType>(),
    title: p.string(),
    body: p.text(),
    status: p.string().$type<ComplaintStatus>(),
    channel: p.string().$type<Channel>(),
    anonymous: p.boolean(),
    confidential: p.boolean(),
    regionCode: p.string().nullable(),
    /** The district (kecamatan) and village (desa/kelurahan) of `idn-area-data`, inside the regency of `regionCode`. */
    districtCode: p.string().nullable(),
    villageCode: p.string().nullable(),
    /** The point the reporter marked, if any (WGS 84). */
    latitude: p.double().$type<number>().nullable(),
    longitude: p.double().$type<number>().nullable(),
    categoryId: p.string().nullable(),
    addressedAgencyId: p.string(),
    assignedAgencyId: p.string().nullable(),
    reporterTokenHash: p.string().hidden(),
    /** The client's retry key, unique within its client's scope (`idempotencyScope`), and a fingerprint of what it submitted with it. */
    idempotencyKey: p.string().nullable(),
    idempotencyScope: p.string().nullable(),
    submissionFingerprint: p.string().nullable(),
    /**
     * The reporter token sealed under a key derived from the idempotency key, so that a retry gets it
     * back, until `reporterTokenSealedUntil`; the sweep then clears both.
     */
    reporterTokenSealed: p.blob().$type<Buffer>().nullable(),
    reporterTokenSealedUntil: p.datetime().nullable(),
    submittedAt: p.datetime(),
    /** End of the 3rd working day after submission, in the addressed node's time zone. */
    verifyDueAt: p.datetime().nullable(),
    /**
     * End of the 5th working day after forwarding (or after a disputed reply, or after the node
     * accepted an escalation), in the assigned node's zone.
     */
    followUpDueAt: p.datetime().nullable(),
    /** End of the 10th working day after the follow-up: the sweep closes it then. */
    closesAt: p.datetime().nullable(),
    /** The deadline of the step the complaint waits in (derived by `currentDeadline`), indexed for `overdue`. */
    currentDueAt: p.datetime().nullable(),
    rejectionReason: p.string().nullable(),
    closedBy: p.string().$type<ClosedBy>().nullable(),
    /** How many times the reporter sent the follow-up back, unsatisfied. */
    disputeCount: p.integer(),
    /** Handled by the Inspectorate (APIP) of the holding node only. */
    supervisory: p.boolean(),
    /** When the current holder node received it (a unit inside the same node keeps the time). */
    forwardedAt: p.datetime().nullable(),
    followedUpAt: p.datetime().nullable(),
    /** Working days from `forwardedAt` to the latest follow-up. */
    followUpWorkingDays: p.integer().nullable(),
    closedAt: p.datetime().nullable(),
    /** Closed as a duplicate of this complaint (its reporter follows that one). */
    duplicateOfId: p.uuid().nullable(),
    /** The holder (assigned, else addressed node) as the dashboard groups it: its home node and kind, and every scope it counts in. */
    holderHomeId: p.string().nullable(),
    holderHomeKind: p.string().nullable(),
    holderPath: p.array(),
    updatedAt: p.datetime().onUpdate(() => new Date()),
    version: p.integer().version(),
  },
});

export type Complaint = InferEntity<typeof ComplaintSchema>;
