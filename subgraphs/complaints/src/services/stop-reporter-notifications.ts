import { z } from 'zod';
import { BadUserInputError, parseInput, UnauthenticatedError } from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import type { Complaint } from '../entities/complaint';
import { parseUnsubscribeToken, unsubscribeTokenMatches } from '../notifications/unsubscribe-links';
import { ReporterMessageRepository } from '../reporter-message-repository';

const stopInput = z.object({
  trackingId: z.string().trim().max(40).nullish(),
  reporterToken: z.string().max(200).nullish(),
  unsubscribeToken: z.string().max(200).nullish(),
});

/**
 * Stops the messages about a complaint to its reporter, who proves it with the reporter token or
 * with the stop link of a message (signed for that complaint: it proves nothing about any other),
 * or to one of its supporters, by the stop link of a message they were sent.
 * Every refusal says the same, so that the answer does not tell which tracking ids exist.
 */
export async function stopReporterNotifications(context: ComplaintsContext, raw: unknown) {
  const input = parseInput(stopInput, raw);
  const refused = new UnauthenticatedError('The tracking id and reporter token, or the stop link, do not match');
  let complaint: Complaint | null;
  let supportId: string | null = null;
  if (input.unsubscribeToken) {
    const target = parseUnsubscribeToken(input.unsubscribeToken);
    complaint = target ? await context.complaints.findByTrackingId(target.trackingId) : null;
    const secret = context.reporterLinkSecret;
    if (!complaint || !secret || !unsubscribeTokenMatches(input.unsubscribeToken, complaint.id, secret)) throw refused;
    supportId = target!.supportId;
  } else if (input.trackingId && input.reporterToken) {
    complaint = await context.complaints.findByTrackingId(input.trackingId.toUpperCase());
    if (!complaint || !reporterTokenMatches(input.reporterToken, complaint.reporterTokenHash)) throw refused;
  } else {
    throw new BadUserInputError('input needs trackingId and reporterToken, or unsubscribeToken', 'input');
  }
  const messages = new ReporterMessageRepository(context.em);
  // A supporter's link stops that supporter's messages, never the reporter's nor another supporter's.
  if (supportId) await messages.stopSupporter(complaint.id, supportId, new Date());
  else await messages.stop(complaint.id, new Date());
  return { trackingId: complaint.trackingId, stopped: true };
}
