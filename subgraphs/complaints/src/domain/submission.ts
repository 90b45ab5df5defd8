import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NO_CONTROL_CHARACTERS, parseInput } from '@lapor-hub/lib';
import { CHANNELS, COMPLAINT_TYPES } from '../entities/complaint';

// A body may keep its line breaks and tabs.
const hasControlBesidesLineBreaks = (text: string) => /\p{Cc}/u.test(text.replace(/[\n\r\t]/g, ''));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .nullish()
    .transform((value) => value || null);

export const submitComplaintInput = z.object({
  type: z.enum(COMPLAINT_TYPES),
  title: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'),
  body: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4,000 characters')
    .refine((text) => !hasControlBesidesLineBreaks(text), 'must not contain control characters other than line breaks and tabs'),
  channel: z.enum(CHANNELS),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{2}(\.\d{2})?$/, 'must be an official province or regency/city code such as 52 or 52.06')
    .nullish()
    .transform((value) => value ?? null),
  categoryId: optionalText(64),
  addressedAgencyId: optionalText(100),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  reporter: z
    .object({
      name: optionalText(200),
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
