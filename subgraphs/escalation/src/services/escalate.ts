import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { BadUserInputError, ConflictError, isUuid, NotFoundError, optionalMultilineText, parseInput } from '@lapor-hub/lib';
import { writeHubEvents } from '@lapor-hub/lib/database';
import type { EscalationContext } from '../context';
import { authorizeEscalation } from '../domain/access';
import { newEscalation } from '../domain/escalation';
import { escalationReceived } from '../domain/hub-events';
import { checkTarget, movesComplaint } from '../domain/routing';
import { ESCALATION_REASONS, EscalationSchema, type Escalation } from '../entities/escalation';

const escalateInput = z.object({
  complaintId: z.string(),
  toAgencyId: z.string().trim().min(1, 'must not be empty').max(200),
  reason: z.enum(ESCALATION_REASONS),
  note: optionalMultilineText(2000),
});

/**
 * An officer asks another node to take over, or contribute to, a complaint their node holds; the
 * complaint and both nodes are read from their subgraphs before the escalation is written.
 */
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
  let escalation: Escalation;
  try {
    // The escalation and what the target node is told of it commit together.
    escalation = await context.em.fork().transactional(async (tx) => {
      const created = tx.create(
        EscalationSchema,
        newEscalation({ complaint, from: holder!, to: target, reason: input.reason, note: input.note, actor: officer, calendar, now }),
      );
      await tx.flush();
      await writeHubEvents(tx, 'escalation', [escalationReceived(created, officer.role)]);
      return created;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && movesComplaint(input.reason)) {
      throw new ConflictError('The complaint already has an open escalation that would move it');
    }
    throw error;
  }
  context.hubEvents.kick();
  return { escalation };
}
