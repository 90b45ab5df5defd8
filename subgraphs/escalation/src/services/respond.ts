import { z } from 'zod';
import { ConflictError, isUuid, NotFoundError, optionalMultilineText, parseInput } from '@lapor-hub/lib';
import { writeHubEvents } from '@lapor-hub/lib/database';
import type { EscalationContext } from '../context';
import { authorizeResponse } from '../domain/access';
import { newEscalation } from '../domain/escalation';
import { escalationAnswered, escalationReceived } from '../domain/hub-events';
import { movesComplaint } from '../domain/routing';
import { EscalationSchema, type Escalation } from '../entities/escalation';
import { OutboxEventSchema } from '../entities/outbox-event';

const respondInput = z.object({ escalationId: z.string(), accept: z.boolean(), note: optionalMultilineText(2000) });

/**
 * The target node's answer. Accepting an escalation that moves the complaint writes the event for
 * the complaints service in the same transaction (the outbox); the relay delivers it. Declining a
 * WRONG_AGENCY sends the complaint to the national admin's queue, so none is left without a holder.
 */
export async function respondToEscalation(context: EscalationContext, raw: unknown): Promise<{ escalation: Escalation }> {
  const input = parseInput(respondInput, raw);
  if (!isUuid(input.escalationId)) throw new NotFoundError('Escalation', input.escalationId);
  const [seen] = await context.escalations.findByIds([input.escalationId]);
  if (!seen) throw new NotFoundError('Escalation', input.escalationId);
  const [target] = await context.directory.nodes([seen.toAgencyId]);
  const officer = authorizeResponse(context.viewer, seen, target);
  if (seen.status !== 'OPEN') throw new ConflictError(`The escalation was already ${seen.status}`);

  const now = new Date();
  // A declined WRONG_AGENCY goes on to the national node: its node and the calendar are asked for now.
  const national = !input.accept && seen.reason === 'WRONG_AGENCY' ? target?.ancestorIds.at(-1) : undefined;
  const successor = national
    ? { to: (await context.directory.nodes([national]))[0]!, calendar: await context.complaintsClient.workingCalendar(now) }
    : null;

  const result = await context.escalations.withLockedEscalation(seen.id, async (escalation, tx) => {
    if (escalation.status !== 'OPEN') throw new ConflictError(`The escalation was already ${escalation.status}`);
    // What was authorized and asked for above holds only for the escalation as it was read.
    if (escalation.version !== seen.version) throw new ConflictError('The escalation changed while it was answered; try again');
    Object.assign(escalation, {
      status: input.accept ? 'ACCEPTED' : 'DECLINED',
      responseNote: input.note,
      respondedAt: now,
      respondedBy: officer.sub,
      respondedByRole: officer.role,
    });
    if (input.accept && movesComplaint(escalation.reason)) {
      escalation.reassignment = 'PENDING';
      tx.create(OutboxEventSchema, {
        payload: {
          escalationId: escalation.id,
          complaintId: escalation.complaintId,
          toAgencyId: escalation.toAgencyId,
          // A supervisory escalation makes the complaint supervisory (or leaves it so).
          supervisory: escalation.supervisory,
          note: input.note,
          acceptedAt: now.toISOString(),
          acceptedByRole: officer.role,
          acceptedByAgencyId: officer.agencyId,
        },
        createdAt: now,
        nextAttemptAt: now,
      });
    }
    // The declined escalation must be closed before its successor opens (one open move per complaint).
    await tx.flush();
    await writeHubEvents(tx, 'escalation', [escalationAnswered(escalation, now, officer.role)]);

    if (successor) {
      const next = tx.create(
        EscalationSchema,
        newEscalation({
          // The same complaint, as it was when escalated: a supervisory one stays the Inspectorate's.
          complaint: { id: escalation.complaintId, supervisory: escalation.supervisory },
          from: { id: escalation.fromAgencyId },
          to: successor.to,
          reason: 'WRONG_AGENCY',
          note: `Declined by ${escalation.toAgencyId}${input.note ? `: ${input.note}` : ''}`,
          actor: officer,
          calendar: successor.calendar,
          now,
        }),
      );
      await tx.flush();
      await writeHubEvents(tx, 'escalation', [escalationReceived(next, officer.role)]);
    }
    return escalation;
  });
  context.relay.kick();
  context.hubEvents.kick();
  return { escalation: result };
}
