import { z } from 'zod';
import { BadUserInputError, ConflictError, multilineText, parseInput, UnauthenticatedError } from '@lapor-hub/lib';
import { ComplaintRepository } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import { authorizeFollowUp, authorizeForward, authorizeScreening } from '../domain/access';
import { evidenceFields, requireUploadToken } from '../domain/evidence';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import { requireVersion } from '../domain/workflow';
import { FollowUpSchema } from '../entities/follow-up';
import { RatingSchema } from '../entities/rating';
import { ReporterMessageRepository } from '../reporter-message-repository';
import { claimAttachments } from './attachments';
import { actorOf, recordStep, withLockedComplaintAndNodes, type Actor } from './locked-complaint';

// A note, when given, must say something: a blank one is refused, not dropped.
const note = multilineText(2000)
  .nullish()
  .transform((value) => value ?? null);

const changeInput = z.object({
  complaintId: z.string(),
  version: z.number().int().min(1, 'must be a version this API issued'),
  note,
});

/**
 * Each step below runs all or nothing on the locked complaint: check who may act, check the
 * caller's version, take the step (its transition checked) and append the timeline entry, commit.
 */
export async function verifyComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(changeInput, raw);
  return withLockedComplaintAndNodes(context, input.complaintId, async (complaint, nodes, tx) => {
    const officer = authorizeScreening(context.viewer, complaint, nodes);
    requireVersion(complaint, input.version);
    await recordStep(tx, complaint, { action: 'VERIFY' }, actorOf(officer), input.note, new Date());
    await tx.flush();
    return { complaint };
  });
}

const rejectInput = changeInput.extend({ reason: multilineText(2000) });

export async function rejectComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(rejectInput, raw);
  return withLockedComplaintAndNodes(context, input.complaintId, async (complaint, nodes, tx) => {
    const officer = authorizeScreening(context.viewer, complaint, nodes);
    requireVersion(complaint, input.version);
    await recordStep(tx, complaint, { action: 'REJECT', reason: input.reason }, actorOf(officer), input.note ?? input.reason, new Date());
    await tx.flush();
    return { complaint };
  });
}

const forwardInput = changeInput.extend({ agencyId: z.string().trim().min(1, 'must not be empty').max(200) });

export async function forwardComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(forwardInput, raw);
  const target = await context.loaders.nodeById.load(input.agencyId);
  if (!target) throw new BadUserInputError(`input.agencyId ${input.agencyId} is not a hub node`, 'input.agencyId');
  if (target.kind === 'NATIONAL') {
    throw new BadUserInputError('input.agencyId must be the node with the authority, not the national admin', 'input.agencyId');
  }
  const result = await withLockedComplaintAndNodes(context, input.complaintId, async (complaint, nodes, tx) => {
    const officer = authorizeForward(context.viewer, complaint, nodes, target);
    requireVersion(complaint, input.version);
    const now = new Date();
    await recordStep(tx, complaint, { action: 'FORWARD', target, assigned: nodes.assigned }, actorOf(officer), input.note, now);
    await tx.flush();
    await new ReporterMessageRepository(tx).queue(complaint.id, { kind: 'FORWARDED', agencyId: target.id }, now);
    return { complaint };
  });
  context.notifyReporters();
  return result;
}

const followUpInput = changeInput.extend({ body: multilineText(4000), ...evidenceFields }).superRefine(requireUploadToken);

export async function postFollowUp(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(followUpInput, raw);
  const result = await withLockedComplaintAndNodes(context, input.complaintId, async (complaint, nodes, tx) => {
    const officer = authorizeFollowUp(context.viewer, complaint, nodes);
    requireVersion(complaint, input.version);
    const now = new Date();
    await recordStep(tx, complaint, { action: 'FOLLOW_UP', assigned: nodes.assigned }, actorOf(officer), input.note, now);
    const followUp = tx.create(FollowUpSchema, {
      complaintId: complaint.id,
      agencyId: complaint.assignedAgencyId!,
      authorRole: officer.role,
      body: input.body,
      postedAt: now,
    });
    await tx.flush();
    await claimAttachments(tx, input, { complaintId: complaint.id, followUpId: followUp.id }, now);
    await new ReporterMessageRepository(tx).queue(complaint.id, { kind: 'FOLLOWED_UP', agencyId: followUp.agencyId, followUpId: followUp.id }, now);
    return { complaint };
  });
  context.notifyReporters();
  return result;
}

const replyInput = z.object({
  trackingId: z.string().trim().max(40),
  reporterToken: z.string().max(200),
  body: multilineText(4000),
  satisfied: z.boolean(),
  rating: z
    .number()
    .int('must be a whole number from 1 to 5')
    .min(1, 'must be from 1 to 5')
    .max(5, 'must be from 1 to 5')
    .nullish()
    .transform((value) => value ?? null),
});

/**
 * The reporter's answer to the follow-up: satisfied closes the complaint; not satisfied sends it
 * back to the node with a fresh follow-up deadline (a dispute). A rating, when given, rates the
 * follow-up answered (the latest); a follow-up is answered once, so it is rated at most once.
 */
export async function replyToComplaint(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(replyInput, raw);
  const found = await context.complaints.findByTrackingId(input.trackingId.toUpperCase());
  if (!found || !reporterTokenMatches(input.reporterToken, found.reporterTokenHash)) {
    throw new UnauthenticatedError('trackingId and reporterToken do not match');
  }
  context.reporterOf.add(found.id);
  const reporter: Actor = { kind: 'REPORTER', role: null, agencyId: null };
  const result = await withLockedComplaintAndNodes(context, found.id, async (complaint, nodes, tx) => {
    const step = input.satisfied ? { action: 'REPLY_SATISFIED' as const } : { action: 'REPLY_DISPUTED' as const, assigned: nodes.assigned };
    const now = new Date();
    const holder = { holderHomeId: complaint.holderHomeId, holderHomeKind: complaint.holderHomeKind, holderPath: complaint.holderPath };
    await recordStep(tx, complaint, step, reporter, input.body, now);
    if (input.rating !== null) {
      const followUpId = await new ComplaintRepository(tx).latestFollowUpId(complaint.id);
      if (!followUpId) throw new ConflictError('The complaint has no follow-up to rate');
      tx.create(RatingSchema, { followUpId, complaintId: complaint.id, rating: input.rating, ratedAt: now, ...holder });
    }
    await tx.flush();
    if (input.satisfied) await new ReporterMessageRepository(tx).queue(complaint.id, { kind: 'CLOSED', closedBy: 'REPORTER' }, now);
    return { complaint };
  });
  context.notifyReporters();
  return result;
}
