import { createHash } from 'node:crypto';
import { z } from 'zod';
import { lineText, multilineText, optionalLineText, parseInput, type NodeFacts } from '@lapor-hub/lib';
import { type WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { CHANNELS, COMPLAINT_TYPES, type Complaint } from '../entities/complaint';
import { currentDeadline, deadlineOf, holderFields } from './workflow';

export const submitComplaintInput = z.object({
  type: z.enum(COMPLAINT_TYPES),
  title: lineText(200),
  body: multilineText(4000),
  channel: z.enum(CHANNELS),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{2}(\.\d{2})?$/, 'must be an official province or regency/city code such as 52 or 52.06')
    .nullish()
    .transform((value) => value ?? null),
  categoryId: optionalLineText(64),
  addressedAgencyId: optionalLineText(100),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  reporter: z
    .object({
      name: optionalLineText(200),
      email: z.email('must be an e-mail address').max(254).nullish().transform((value) => value ?? null),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9]{6,15}$/, 'must be 6 to 15 digits with an optional leading +')
        .nullish()
        .transform((value) => value ?? null),
    })
    .nullish()
    .transform((value) => value ?? null),
  idempotencyKey: z
    .string()
    .regex(/^[\x21-\x7e]{8,100}$/, 'must be 8 to 100 printable ASCII characters')
    .nullish()
    .transform((value) => value ?? null),
});

export type SubmitComplaintInput = z.output<typeof submitComplaintInput>;

/** Validates a submission; the error names the first offending field, e.g. `input.title`. */
export function parseSubmission(raw: unknown): SubmitComplaintInput {
  return parseInput(submitComplaintInput, raw);
}

/** What a retried submission must repeat to be recognised as the same one. */
export function submissionFingerprint(input: SubmitComplaintInput): string {
  const { idempotencyKey: _key, ...content } = input;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * The node a complaint is addressed to (no wrong door): the citizen's choice, else the regional
 * government of the region concerned, else the national admin, who forwards it.
 */
export function addressedAgencyId(choice: { chosenAgencyId: string | null; regionAgencyId: string | null; nationalAgencyId: string }): string {
  return choice.chosenAgencyId ?? choice.regionAgencyId ?? choice.nationalAgencyId;
}

/** What identifies a new complaint: drawn by the service (random), given to the factory. */
export interface ComplaintIdentity {
  id: string;
  trackingId: string;
  /** The hash of the reporter's token (the token itself is never stored). */
  reporterTokenHash: string;
}

/**
 * The complaint a validated submission becomes at `now`, addressed to `addressed`, with every
 * derived field: its holder, the verification deadline (3 working days in the addressed node's
 * zone) and the current deadline.
 */
export function newComplaint(
  input: SubmitComplaintInput,
  identity: ComplaintIdentity,
  addressed: NodeFacts,
  calendar: WorkingCalendar,
  now: Date,
): Complaint {
  const verifyDueAt = deadlineOf('verify', now, addressed, calendar);
  return {
    ...identity,
    type: input.type,
    title: input.title,
    body: input.body,
    status: 'SUBMITTED',
    channel: input.channel,
    anonymous: input.anonymous,
    confidential: input.confidential,
    regionCode: input.regionCode,
    categoryId: input.categoryId,
    addressedAgencyId: addressed.id,
    assignedAgencyId: null,
    idempotencyKey: input.idempotencyKey,
    submissionFingerprint: input.idempotencyKey ? submissionFingerprint(input) : null,
    submittedAt: now,
    verifyDueAt,
    followUpDueAt: null,
    closesAt: null,
    currentDueAt: currentDeadline({ status: 'SUBMITTED', verifyDueAt, followUpDueAt: null }),
    rejectionReason: null,
    closedBy: null,
    disputeCount: 0,
    supervisory: false,
    forwardedAt: null,
    followedUpAt: null,
    followUpWorkingDays: null,
    closedAt: null,
    ...holderFields(addressed),
    updatedAt: now,
    version: 1,
  };
}
