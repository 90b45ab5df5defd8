import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  ATTACHMENT_LINK_LIFETIME_SECONDS,
  BadUserInputError,
  lineText,
  parseInput,
  signAttachmentLink,
} from '@lapor-hub/lib';
import { AttachmentRepository, type Attachment } from '../attachment-repository';
import type { ComplaintsContext } from '../context';
import { authorizeHubService } from '../domain/access';
import { hashUploadToken, UPLOAD_TOKEN, type Evidence } from '../domain/evidence';
import type { Complaint } from '../entities/complaint';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');

const uploadInput = z.object({
  uploadToken: z.string().regex(UPLOAD_TOKEN, 'must be 32 random bytes in base64url'),
  sha256,
  thumbnailSha256: sha256.nullish().transform((value) => value ?? null),
  contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  size: z.number().int().positive(),
  filename: lineText(200),
});

/** The gateway stored an upload: it is recorded pending, in its uploader's session. */
export async function registerAttachmentUpload(context: ComplaintsContext, raw: unknown): Promise<{ id: string }> {
  authorizeHubService(context.viewer, 'gateway');
  const input = parseInput(uploadInput, raw);
  const id = randomUUID();
  const { uploadToken, ...upload } = input;
  await new AttachmentRepository(context.em).recordUpload({ id, uploadTokenHash: hashUploadToken(uploadToken), ...upload, uploadedAt: new Date() });
  return { id };
}

const staleInput = z.object({
  uploadedBefore: z.date(),
  first: z.number().int().min(1).max(1000).nullish().transform((value) => value ?? 500),
});

/** Removes uploads never claimed; the gateway then deletes the files no upload names any more. */
export async function removeStaleAttachmentUploads(context: ComplaintsContext, raw: unknown) {
  authorizeHubService(context.viewer, 'gateway');
  const input = parseInput(staleInput, raw);
  return context.em.fork().transactional(async (tx) => {
    const removed = await new AttachmentRepository(tx).removeStale(input.uploadedBefore, input.first);
    return { removed: removed.uploads, unreferencedSha256: removed.unreferenced };
  });
}

/**
 * Claims the uploads a submission or follow-up names, inside its transaction: any id unknown,
 * already used or of another upload session refuses the whole change (it rolls back, nothing is
 * stored), without telling which of those it was.
 */
export async function claimAttachments(
  tx: EntityManager,
  input: Evidence,
  owner: { complaintId: string; followUpId: string | null },
  at: Date,
): Promise<void> {
  if (!input.attachmentIds?.length) return;
  const claimed = new Set(await new AttachmentRepository(tx).claim(input.attachmentIds, hashUploadToken(input.uploadToken!), owner, at));
  const refused = input.attachmentIds.filter((id) => !claimed.has(id));
  if (refused.length > 0) {
    throw new BadUserInputError(`input.attachmentIds ${refused.join(', ')}: no unused upload of this upload session`, 'input.attachmentIds');
  }
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/**
 * An anonymous reporter's file names (`Budi_Santoso_KTP.pdf`, `IMG_20261201_0715.jpg`) can say
 * who took the photo and when: to anyone but the reporter they are `lampiran-1.jpg`, `lampiran-2.pdf`.
 */
export function hideUploaderNames(complaint: Pick<Complaint, 'anonymous'>, attachments: Attachment[], isReporter: boolean): Attachment[] {
  if (!complaint.anonymous || isReporter) return attachments;
  return attachments.map((attachment, index) => ({ ...attachment, filename: `lampiran-${index + 1}.${EXTENSIONS[attachment.contentType] ?? 'bin'}` }));
}

/**
 * The signed gateway links of an attachment, for a reader the caller has already checked may read
 * its complaint: the link is the whole permission, so it is made for nobody else.
 */
export function attachmentLinks(attachment: Attachment, secret: Uint8Array, now = Date.now()): { url: string; thumbnailUrl: string | null } {
  const expiresAt = Math.floor(now / 1000) + ATTACHMENT_LINK_LIFETIME_SECONDS;
  const url = signAttachmentLink({ sha256: attachment.sha256, contentType: attachment.contentType, filename: attachment.filename, expiresAt }, secret);
  const thumbnailUrl = attachment.thumbnailSha256
    ? signAttachmentLink({ sha256: attachment.thumbnailSha256, contentType: 'image/webp', filename: `${attachment.filename}.webp`, expiresAt }, secret)
    : null;
  return { url, thumbnailUrl };
}
