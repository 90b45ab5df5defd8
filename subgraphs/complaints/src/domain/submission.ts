import { createHash } from 'node:crypto';
import { z } from 'zod';
import { lineText, multilineText, optionalLineText, parseInput, type NodeFacts, type Viewer } from '@lapor-hub/lib';
import { type WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { CHANNELS, COMPLAINT_TYPES, type Complaint } from '../entities/complaint';
import { evidenceFields, requireUploadToken } from './evidence';
import { currentDeadline, deadlineOf, holderFields } from './workflow';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const optionalCode = (pattern: RegExp, example: string) =>
  z
    .string()
    .trim()
    .regex(pattern, `must be an official code such as ${example}`)
    .nullish()
    .transform((value) => value ?? null);

/** Indonesia's extent (Sabang to Merauke, Miangas to Rote) with a little margin at sea. */
export const INDONESIA_BOUNDS = { south: -11.5, north: 6.5, west: 94.5, east: 141.5 } as const;

const location = z
  .object({
    latitude: z.number().min(INDONESIA_BOUNDS.south, 'must lie in Indonesia').max(INDONESIA_BOUNDS.north, 'must lie in Indonesia'),
    longitude: z.number().min(INDONESIA_BOUNDS.west, 'must lie in Indonesia').max(INDONESIA_BOUNDS.east, 'must lie in Indonesia'),
  })
  .nullish()
  .transform((value) => value ?? null);

/** How a reporter (or a supporter) may be reached: an e-mail address, a phone number (e.g. the SMS sender). */
export const contactFields = {
  email: z.email('must be an e-mail address').max(254).nullish().transform((value) => value ?? null),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{6,15}$/, 'must be 6 to 15 digits with an optional leading +')
    .nullish()
    .transform((value) => value ?? null),
};

const submissionFields = z.object({
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
  districtCode: optionalCode(/^\d{2}\.\d{2}\.\d{2}$/, '52.06.01'),
  villageCode: optionalCode(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, '52.06.01.2001'),
  location,
  categoryId: optionalLineText(64),
  addressedAgencyId: optionalLineText(100),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  reporter: z
    .object({
      name: optionalLineText(200),
      ...contactFields,
    })
    .nullish()
    .transform((value) => value ?? null),
  // A UUID (of any version) carries enough chance that nobody guesses another client's key.
  idempotencyKey: z
    .string()
    .regex(UUID_TEXT, 'must be a UUID such as 0d6f0f3e-2b53-4b55-9d8b-0c2f6f0e4b11')
    .nullish()
    .transform((value) => value?.toLowerCase() ?? null),
  ...evidenceFields,
});

/**
 * A place named down to the village: each code lies inside the one above it (`52.06.01.2001` in
 * `52.06.01` in `52.06`). A district or village without a region names its regency; with a
 * region, it must lie in it, and that region must be a regency or city (routing stays by it).
 */
export const submitComplaintInput = submissionFields
  .superRefine((input, context) => {
    requireUploadToken(input, context);
    if (input.villageCode && input.districtCode && !input.villageCode.startsWith(`${input.districtCode}.`)) {
      context.addIssue({ code: 'custom', path: ['villageCode'], message: `must be a village of district ${input.districtCode}` });
    }
    const district = input.districtCode ?? input.villageCode?.slice(0, 8) ?? null;
    if (district && input.regionCode && district.slice(0, 5) !== input.regionCode) {
      context.addIssue({ code: 'custom', path: [input.districtCode ? 'districtCode' : 'villageCode'], message: `must lie in region ${input.regionCode}, a regency or city` });
    }
  })
  .transform((input) => {
    const districtCode = input.districtCode ?? input.villageCode?.slice(0, 8) ?? null;
    return { ...input, districtCode, regionCode: input.regionCode ?? districtCode?.slice(0, 5) ?? null };
  });

export type SubmitComplaintInput = z.output<typeof submitComplaintInput>;

/** Validates a submission; the error names the first offending field, e.g. `input.title`. */
export function parseSubmission(raw: unknown): SubmitComplaintInput {
  return parseInput(submitComplaintInput, raw);
}

/** What a retried submission must repeat to be recognised as the same one. */
export function submissionFingerprint(input: SubmitComplaintInput): string {
  const { idempotencyKey: _key, uploadToken: _token, attachmentIds, districtCode, villageCode, location, ...content } = input;
  // Without a place or evidence, the fingerprint is the one submissions had before those existed,
  // so that a retry spanning that release is still recognised.
  const place = districtCode || villageCode || location ? { place: { districtCode, villageCode, location } } : {};
  const evidence = attachmentIds?.length ? { attachmentIds } : {};
  return createHash('sha256').update(JSON.stringify({ ...content, ...place, ...evidence })).digest('hex');
}

/**
 * The node a complaint is addressed to (no wrong door): the citizen's choice, else the regional
 * government of the region concerned, else the national admin, who forwards it.
 */
export function addressedAgencyId(choice: { chosenAgencyId: string | null; regionAgencyId: string | null; nationalAgencyId: string }): string {
  return choice.chosenAgencyId ?? choice.regionAgencyId ?? choice.nationalAgencyId;
}

/** How long a retry with the same idempotency key gets the first answer back, reporter token included. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Whose idempotency keys a key is matched among: an authenticated client's own (its token's
 * subject at its node), else the public's, one scope for everyone without a token.
 */
export function idempotencyScope(viewer: Viewer): string {
  if (viewer.kind === 'officer') return JSON.stringify(['officer', viewer.agencyId, viewer.sub]);
  if (viewer.kind === 'service') return JSON.stringify(['service', viewer.name]);
  return 'public';
}

/** What identifies a new complaint: drawn by the service (random), given to the factory. */
export interface ComplaintIdentity {
  id: string;
  trackingId: string;
  /** The hash of the reporter's token (the token itself is never stored). */
  reporterTokenHash: string;
}

/** What a retry with the submission's idempotency key finds: the client's scope, and the token sealed for it (`sealForReplay`). */
export interface RetryKeeping {
  idempotencyScope: string;
  reporterTokenSealed: Buffer;
}

/**
 * The complaint a validated submission becomes at `now`, addressed to `addressed`, with every
 * derived field: its holder, the verification deadline (3 working days in the addressed node's
 * zone) and the current deadline; with an idempotency key, what a retry needs (`retry`, kept for
 * the idempotency window).
 */
export function newComplaint(
  input: SubmitComplaintInput,
  identity: ComplaintIdentity,
  addressed: NodeFacts,
  calendar: WorkingCalendar,
  now: Date,
  retry: RetryKeeping | null = null,
): Complaint {
  const verifyDueAt = deadlineOf('verify', now, addressed, calendar);
  const kept = input.idempotencyKey ? retry : null;
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
    districtCode: input.districtCode,
    villageCode: input.villageCode,
    latitude: input.location?.latitude ?? null,
    longitude: input.location?.longitude ?? null,
    categoryId: input.categoryId,
    addressedAgencyId: addressed.id,
    assignedAgencyId: null,
    idempotencyKey: input.idempotencyKey,
    idempotencyScope: kept?.idempotencyScope ?? null,
    submissionFingerprint: input.idempotencyKey ? submissionFingerprint(input) : null,
    reporterTokenSealed: kept?.reporterTokenSealed ?? null,
    reporterTokenSealedUntil: kept ? new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS) : null,
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
    duplicateOfId: null,
    ...holderFields(addressed),
    updatedAt: now,
    version: 1,
  };
}
