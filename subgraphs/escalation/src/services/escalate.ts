import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { BadUserInputError, ConflictError, homeNodeId, isUuid, NO_CONTROL_CHARACTERS, NotFoundError, parseInput, scopePath } from '@lapor-hub/lib';
import type { EscalationContext } from '../context';
import { authorizeEscalation, checkTarget, isSupervisoryEscalation, movesComplaint } from '../domain/rules';
import { ESCALATION_REASONS, Escalation } from '../entities/escalation';

export const noteText = z
  .string()
  .trim()
  .max(2000, 'must be at most 2,000 characters')
  .refine((value) => NO_CONTROL_CHARACTERS.test(value.replace(/[\n\r\t]/g, '')), 'must not contain control characters')
  .nullish()
  .transform((value) => value || null);

const escalateInput = z.object({
  complaintId: z.string(),
  toAgencyId: z.string().trim().min(1, 'must not be empty').max(200),
  reason: z.enum(ESCALATION_REASONS),
  note: noteText,
});

/** Days the target node has to answer an escalation. */
export const RESPONSE_WORKING_DAYS = 3;

export async function escalateComplaint(context: EscalationContext, raw: unknown): Promise<{ escalation: Escalation }> {
  const input = parseInput(escalateInput, raw);
  if (!isUuid(input.complaintId)) throw new NotFoundError('Complaint', input.complaintId);
  const [complaint] = await context.complaintsClient.complaints([input.complaintId]);
  if (!complaint) throw new NotFoundError('Complaint', input.complaintId);
  const [holder, target] = await context.directory.nodes([complaint.holderId, input.toAgencyId]);
  const officer = authorizeEscalation(context.viewer, holder, complaint.supervisory);
  if (!target) throw new BadUserInputError(`input.toAgencyId ${input.toAgencyId} is not a hub node`, 'input.toAgencyId');
  checkTarget(input.reason, holder!, target);
  if (complaint.status === 'CLOSED' || complaint.status === 'REJECTED') {
    throw new ConflictError(`A ${complaint.status} complaint cannot be escalated`);
  }

  const now = new Date();
  const calendar = await context.complaintsClient.workingCalendar(now);
  const escalation = Object.assign(new Escalation(), {
    complaintId: complaint.id,
    fromAgencyId: holder!.id,
    toAgencyId: target.id,
    toHomeId: homeNodeId(target),
    toPath: scopePath(target),
    reason: input.reason,
    // Fixed now: who may read and answer it does not change if the complaint's marking does later.
    supervisory: isSupervisoryEscalation(complaint.supervisory, input.reason),
    note: input.note,
    createdBy: officer.sub,
    createdByRole: officer.role,
    createdAt: now,
    respondDueAt: calendar.endOfNthWorkingDayAfter(now, RESPONSE_WORKING_DAYS, target.timeZone),
  });
  try {
    await context.em.fork().persistAndFlush(escalation);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && movesComplaint(input.reason)) {
      throw new ConflictError('The complaint already has an open escalation that would move it');
    }
    throw error;
  }
  return { escalation };
}
