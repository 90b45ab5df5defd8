import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Files a complaint or a follow-up may carry. */
export const MAX_ATTACHMENTS = 5;

/** The upload token's shape: 32 random bytes in base64url, as the gateway issues it. */
export const UPLOAD_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** How an upload session is stored: only its hash, so the table cannot be used to claim anything. */
export const hashUploadToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The evidence fields of `SubmitComplaintInput` and `PostFollowUpInput`: at most five distinct
 * ids, and the upload token that binds them to their uploader's session. Left out of the
 * validated input when not given, so that a submission without evidence reads as it did before.
 */
export const evidenceFields = {
  attachmentIds: z
    .array(z.string().max(100))
    .max(MAX_ATTACHMENTS, `must name at most ${MAX_ATTACHMENTS} files`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name a file twice')
    .nullish()
    .transform((ids) => ids ?? undefined)
    .optional(),
  uploadToken: z
    .string()
    .regex(UPLOAD_TOKEN, 'must be the uploadToken that POST /attachments answered')
    .nullish()
    .transform((token) => token ?? undefined)
    .optional(),
};

export interface Evidence {
  attachmentIds?: string[];
  uploadToken?: string;
}

/** With `attachmentIds`, the token is required: without it no upload can be shown to be the caller's. */
export function requireUploadToken(input: Evidence, context: z.RefinementCtx): void {
  if (input.attachmentIds?.length && !input.uploadToken) {
    context.addIssue({ code: 'custom', path: ['uploadToken'], message: 'is required with attachmentIds' });
  }
}
