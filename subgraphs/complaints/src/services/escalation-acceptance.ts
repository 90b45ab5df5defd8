import { z } from 'zod';
import { BadUserInputError, ConflictError, isUuid, multilineText, parseInput, ROLES } from '@lapor-hub/lib';
import { AppliedEventRepository, type AppliedEvent } from '../applied-event-repository';
import type { ComplaintsContext } from '../context';
import { authorizeHubService } from '../domain/access';
import { isFinished } from '../domain/workflow';
import type { Complaint } from '../entities/complaint';
import { ReporterMessageRepository } from '../reporter-message-repository';
import { recordStep, withLockedComplaint, type Actor } from './locked-complaint';

const uuid = z
  .string()
  .refine(isUuid, 'must be a UUID')
  .transform((value) => value.toLowerCase());

const acceptanceInput = z.object({
  eventId: uuid,
  escalationId: uuid,
  complaintId: z.string(),
  toAgencyId: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  supervisory: z.boolean(),
  note: multilineText(4000)
    .nullish()
    .transform((value) => value ?? null),
  acceptedAt: z.date(),
  acceptedByRole: z.enum(ROLES).nullish().transform((value) => value ?? null),
  acceptedByAgencyId: z.string().trim().min(1, 'must not be empty').max(200).nullish().transform((value) => value ?? null),
});

export type EscalationAcceptanceOutcome = 'APPLIED' | 'ALREADY_APPLIED' | 'NOT_APPLIED_FINISHED';

export interface EscalationAcceptanceResult {
  outcome: EscalationAcceptanceOutcome;
  complaint: Complaint;
}

/** What `applied_event` records of an event this service has taken (a redelivery changes nothing). */
type RecordedOutcome = Exclude<EscalationAcceptanceOutcome, 'ALREADY_APPLIED'>;

/**
 * Records the event as taken, unless it already was: `false` when an earlier delivery recorded it
 * (the complaint's row lock already orders two deliveries at once).
 */
async function recordEvent(events: AppliedEventRepository, event: AppliedEvent, outcome: RecordedOutcome): Promise<boolean> {
  if (await events.record(event, outcome, new Date())) return true;
  // An event id names one event: the same id about another escalation or complaint is a bug upstream.
  const earlier = await events.find(event.eventId);
  if (earlier && (earlier.escalationId !== event.escalationId || earlier.complaintId !== event.complaintId)) {
    throw new ConflictError(`Event ${event.eventId} was already applied, for another escalation or complaint`);
  }
  return false;
}

/**
 * Applies an escalation's acceptance (an event of the escalation subgraph, delivered at least once
 * by its outbox relay, straight to this subgraph with a service credential) to the complaint, in
 * one transaction, exactly once per `eventId`:
 *
 * - Idempotency: the complaint's row is locked first, then the event is recorded in `applied_event`
 *   with `on conflict do nothing`; if an earlier delivery recorded it, the answer is
 *   `ALREADY_APPLIED` with the complaint as it is now, and nothing changes.
 * - Conflict rule: the acceptance is the target node's commitment, so it is applied to the
 *   complaint's CURRENT state, whatever version it moved to since the escalation was raised (no
 *   optimistic version check), UNLESS the complaint is finished (CLOSED or REJECTED). Then nothing
 *   about the complaint changes and no timeline entry is added (the timeline records changes
 *   only), but the outcome `NOT_APPLIED_FINISHED` is recorded and returned, so that the
 *   escalation shows it and the acceptance is never dropped silently.
 * - Applying: the complaint is assigned to `toAgencyId` and becomes FORWARDED (transition
 *   `ESCALATION_ACCEPTED`), due for its follow-up at the end of the 5th working day after
 *   `acceptedAt` in the target node's time zone; a pending close is cancelled; it becomes
 *   supervisory if the escalation was (never the reverse); the timeline gets one
 *   `ESCALATION_ACCEPTED` entry dated `acceptedAt`; the version increments.
 *
 * Hub services only. An unknown complaint is `NOT_FOUND`; a target that is not a hub node is
 * `BAD_USER_INPUT` on `input.toAgencyId` (both before anything is recorded).
 */
export async function applyEscalationAcceptance(context: ComplaintsContext, raw: unknown): Promise<EscalationAcceptanceResult> {
  authorizeHubService(context.viewer, 'escalation');
  const input = parseInput(acceptanceInput, raw);
  const target = await context.loaders.nodeById.load(input.toAgencyId);
  if (!target) throw new BadUserInputError(`input.toAgencyId ${input.toAgencyId} is not a hub node`, 'input.toAgencyId');

  const result = await withLockedComplaint(context, input.complaintId, async (complaint, tx): Promise<EscalationAcceptanceResult> => {
    const outcome: RecordedOutcome = isFinished(complaint) ? 'NOT_APPLIED_FINISHED' : 'APPLIED';
    if (!(await recordEvent(new AppliedEventRepository(tx), { ...input, complaintId: complaint.id }, outcome))) {
      return { outcome: 'ALREADY_APPLIED', complaint };
    }
    if (outcome === 'NOT_APPLIED_FINISHED') return { outcome, complaint };

    const actor: Actor = input.acceptedByRole
      ? { kind: 'OFFICER', role: input.acceptedByRole, agencyId: input.acceptedByAgencyId }
      : { kind: 'SYSTEM', role: null, agencyId: input.acceptedByAgencyId };
    await recordStep(tx, complaint, { action: 'ESCALATION_ACCEPTED', target, supervisory: input.supervisory }, actor, input.note, input.acceptedAt);
    await tx.flush();
    // The complaint now lies with another node: for its reporter, a forwarding.
    await new ReporterMessageRepository(tx).queue(complaint.id, { kind: 'FORWARDED', agencyId: target.id }, new Date());
    return { outcome, complaint };
  });
  context.notifyReporters();
  return result;
}
