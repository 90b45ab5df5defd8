import { z } from 'zod';
import { ConflictError, NotFoundError, parseInput, requireOfficer } from '@lapor-hub/lib';
import type { WebhooksContext } from '../context';
import { authorizeEventProducer, authorizeSubscriptionChange, eventAudience } from '../domain/access';
import { recordHubEventsInput } from '../domain/hub-event';
import type { WebhookDelivery } from '../entities/delivery';

const redeliverInput = z.object({ deliveryId: z.string() });

/** Sends a message again, same `webhook-id`, with a fresh day of retries. */
export async function redeliverWebhook(context: WebhooksContext, raw: unknown): Promise<{ delivery: WebhookDelivery }> {
  const { deliveryId } = parseInput(redeliverInput, raw);
  const [delivery] = await context.deliveries.findByIds([deliveryId]);
  const [subscription] = delivery ? await context.subscriptions.findByIds([delivery.subscriptionId]) : [];
  if (!delivery || !subscription) {
    requireOfficer(context.viewer, 'Webhooks need an officer token');
    throw new NotFoundError('Webhook delivery', deliveryId);
  }
  authorizeSubscriptionChange(context.viewer, subscription, await context.loaders.nodeById.load(subscription.agencyId));
  if (!subscription.active) throw new ConflictError(`The subscription is disabled: ${subscription.disabledReason ?? 'no reason recorded'}`);
  const queued = await context.deliveries.redeliver(delivery.id, context.retry.giveUpAfterMs);
  if (!queued) throw new NotFoundError('Webhook delivery', deliveryId);
  context.worker.kick();
  return { delivery: queued };
}

/**
 * Records the events a producing subgraph reports (each once, by id) and queues their messages,
 * in one statement; the worker is started on them after it, never waited for. Who may receive
 * each is worked out first from the node tree (one directory request for the batch): should the
 * agencies service not answer, nothing is recorded and the producer's relay sends them again.
 */
export async function recordHubEvents(context: WebhooksContext, raw: unknown): Promise<{ recorded: number; deliveries: number }> {
  authorizeEventProducer(context.viewer);
  const input = parseInput(recordHubEventsInput, raw);
  const concerned = [...new Set(input.events.flatMap((event) => event.agencyIds))];
  const nodes = await context.directory.nodes(concerned);
  const facts = new Map(concerned.map((id, index) => [id, nodes[index]]));
  const events = input.events.map((event) => ({ ...event, audience: eventAudience(event.agencyIds, facts) }));
  const result = await context.deliveries.recordEvents(events, context.retry.giveUpAfterMs);
  if (result.deliveries > 0) context.worker.kick();
  return result;
}
