import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadUserInputError, multilineText, NotFoundError, parseArguments, parseInput, type Viewer } from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import { authorizeScreening, canReadComplaint } from '../domain/access';
import { supportSealBinding } from '../domain/contact-sealing';
import { contactFields } from '../domain/submission';
import { requireVersion } from '../domain/workflow';
import type { Complaint } from '../entities/complaint';
import { actorOf, recordStep, withLockedComplaintAndNodes } from './locked-complaint';

/** How far back a duplicate is looked for: the same pothole is reported again within weeks. */
const DUPLICATE_WINDOW_MS = 30 * 86_400_000;
/** How alike two texts must be (trigram similarity, 0–1) for the complaint to be a candidate at all. */
const MIN_TEXT_SIMILARITY = 0.15;

const candidatesArgs = z.object({
  first: z
    .number()
    .int()
    .min(0, 'must be between 0 and 20')
    .max(20, 'must be between 0 and 20')
    .nullish()
    .transform((value) => value ?? 5),
});

/**
 * The open complaints most like `complaint` (text, place, category) of the last 30 days, for the
 * admins who verify it (those who may screen it: the national admin, the admin of its node).
 * Each candidate is one the caller may read; the others are left out.
 */
export async function possibleDuplicates(context: ComplaintsContext, complaint: Complaint, raw: unknown) {
  const { first } = parseArguments(candidatesArgs, raw);
  authorizeScreening(context.viewer, complaint, await context.nodesOf(complaint));
  if (first === 0) return [];
  const since = new Date(Date.now() - DUPLICATE_WINDOW_MS);
  // Asked for a few more than shown, so that candidates the caller may not read leave room for others.
  const candidates = await context.complaints.duplicateCandidates(complaint, since, first * 2, MIN_TEXT_SIMILARITY);
  const readable = await Promise.all(candidates.map(async (candidate) => readableBy(context, context.viewer, candidate.complaint)));
  return candidates.filter((_, index) => readable[index]).slice(0, first);
}

async function readableBy(context: ComplaintsContext, viewer: Viewer, complaint: Complaint): Promise<boolean> {
  return canReadComplaint(viewer, complaint, await context.nodesOf(complaint), context.reporterOf.has(complaint.id));
}

const markInput = z.object({
  complaintId: z.string(),
  duplicateOfId: z.string(),
  version: z.number().int().min(1, 'must be a version this API issued'),
  note: multilineText(2000)
    .nullish()
    .transform((value) => value ?? null),
});

/**
 * Closes a complaint as a duplicate of another (the original), which the caller must be able to
 * read, that is not itself a duplicate (its reporter would follow a closed one), and not rejected.
 * The one who screens the complaint decides: the national admin or the admin of its node. A stale
 * version is a CONFLICT; a finished complaint cannot be closed again (CONFLICT).
 */
export async function markAsDuplicate(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(markInput, raw);
  // Whoever may not screen the complaint learns nothing of the original they name.
  const seen = await context.loaders.complaintById.load(input.complaintId);
  if (!seen) throw new NotFoundError('Complaint', input.complaintId);
  authorizeScreening(context.viewer, seen, await context.nodesOf(seen));
  if (input.duplicateOfId === input.complaintId) throw new BadUserInputError('input.duplicateOfId must be another complaint', 'input.duplicateOfId');
  const original = await context.loaders.complaintById.load(input.duplicateOfId);
  if (!original || !(await readableBy(context, context.viewer, original))) {
    throw new BadUserInputError(`input.duplicateOfId ${input.duplicateOfId} is not a complaint you may read`, 'input.duplicateOfId');
  }
  if (original.duplicateOfId) {
    throw new BadUserInputError(`input.duplicateOfId is itself a duplicate: name its original, ${original.duplicateOfId}`, 'input.duplicateOfId');
  }
  if (original.status === 'REJECTED') throw new BadUserInputError('input.duplicateOfId was rejected: it cannot stand for another complaint', 'input.duplicateOfId');
  return withLockedComplaintAndNodes(context, input.complaintId, async (complaint, nodes, tx) => {
    const officer = authorizeScreening(context.viewer, complaint, nodes);
    requireVersion(complaint, input.version);
    const note = input.note ?? `Duplicate of ${original.trackingId}`;
    await recordStep(tx, complaint, { action: 'MARK_DUPLICATE', duplicateOfId: original.id }, actorOf(officer), note, new Date());
    await tx.flush();
    return { complaint };
  });
}

const supportInput = z.object({
  complaintId: z.string(),
  idempotencyKey: z.uuid('must be a UUID'),
  reporter: z
    .object(contactFields)
    .nullish()
    .transform((value) => value ?? null),
});

const PUBLIC: Viewer = { kind: 'public' };

/**
 * "Me too" (dukung) on a complaint of the public listing: once per complaint and idempotency key
 * (a retry adds nothing). Any other complaint does not exist for this purpose (NOT_FOUND), so a
 * support reveals nothing the public may not know. A supporter who leaves a contact (sealed) is
 * sent a receipt of their support, then what the reporter is told: forwarding, follow-up, closing.
 */
export async function supportComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(supportInput, raw);
  const complaint = await context.loaders.complaintById.load(input.complaintId);
  const listed = complaint !== null && !complaint.supervisory && complaint.status !== 'REJECTED' && (await readableBy(context, PUBLIC, complaint));
  if (!complaint || !listed) throw new NotFoundError('Complaint', input.complaintId);
  const id = randomUUID();
  const contact = input.reporter && (input.reporter.email || input.reporter.phone) ? input.reporter : null;
  const receipt = await context.complaints.addSupport({
    id,
    complaintId: complaint.id,
    idempotencyKey: input.idempotencyKey,
    sealed: contact ? context.contactSeal.seal(supportSealBinding(id), { name: null, ...contact }) : null,
    createdAt: new Date(),
  });
  if (receipt) context.notifyReporters();
  return { complaint };
}
