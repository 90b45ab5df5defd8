import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadUserInputError, ConflictError, lineText, NotFoundError, optionalLineText, parseInput, requireOfficer } from '@lapor-hub/lib';
import type { WebhooksContext } from '../context';
import { authorizeSubscribing, authorizeSubscriptionChange } from '../domain/access';
import { WEBHOOK_EVENTS } from '../domain/events';
import { newSigningSecret } from '../domain/message';
import { MAX_URL_LENGTH, urlRefusal } from '../domain/url-policy';
import type { WebhookSubscription } from '../entities/subscription';
import { sealedSecretsOf } from '../subscription-repository';
import { resolvedUrlRefusal } from './sender';

/** How long a rotated secret keeps signing beside the new one. */
export const PREVIOUS_SECRET_LIFETIME_MS = 24 * 3_600_000;

const createInput = z.object({
  agencyId: lineText(200),
  url: z.string().trim().min(1, 'must not be empty').max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH.toLocaleString('en-US')} characters`),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, 'must name at least one event')
    .transform((events) => [...new Set(events)]),
  description: optionalLineText(200),
  includeDescendants: z.boolean().nullish().transform((include) => include ?? false),
});

const subscriptionInput = z.object({ subscriptionId: z.string() });

/** Subscribes a URL to a node's events; the secret is in the answer and nowhere else ever after. */
export async function createWebhookSubscription(context: WebhooksContext, raw: unknown): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const input = parseInput(createInput, raw);
  const node = await context.loaders.nodeById.load(input.agencyId);
  if (!node) {
    requireOfficer(context.viewer, 'Webhooks need an officer token');
    throw new BadUserInputError('input.agencyId is not a hub node', 'input.agencyId');
  }
  const { officer, inspectorate } = authorizeSubscribing(context.viewer, node);
  const refusal = urlRefusal(input.url, context.urlPolicy) ?? (await resolvedUrlRefusal(input.url, context.urlPolicy));
  if (refusal) throw new BadUserInputError(`input.url ${refusal}`, 'input.url');
  const secret = newSigningSecret();
  const id = randomUUID();
  const subscription = await context.subscriptions.insert({
    id,
    agencyId: node.id,
    url: input.url,
    events: input.events,
    description: input.description,
    sealed: context.keyring.seal(id, { current: secret, previous: null }),
    inspectorate,
    includeDescendants: input.includeDescendants,
    createdBy: officer.sub,
    createdByRole: officer.role,
    createdAt: new Date(),
  });
  return { subscription, secret };
}

/** The subscription named by an input, once the viewer is known to manage it. */
async function managedSubscription(context: WebhooksContext, raw: unknown): Promise<WebhookSubscription> {
  const { subscriptionId } = parseInput(subscriptionInput, raw);
  const [subscription] = await context.subscriptions.findByIds([subscriptionId]);
  if (!subscription) {
    requireOfficer(context.viewer, 'Webhooks need an officer token');
    throw new NotFoundError('Webhook subscription', subscriptionId);
  }
  authorizeSubscriptionChange(context.viewer, subscription, await context.loaders.nodeById.load(subscription.agencyId));
  return subscription;
}

/** A new secret, shown once; the old one signs beside it for a day so that the receiver can switch. */
export async function rotateWebhookSecret(context: WebhooksContext, raw: unknown): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const subscription = await managedSubscription(context, raw);
  const secret = newSigningSecret();
  const replaced = context.keyring.open(subscription.id, sealedSecretsOf(subscription)).current;
  const sealed = context.keyring.seal(subscription.id, { current: secret, previous: replaced });
  const rotated = await context.subscriptions.rotateSecret(subscription.id, subscription.secretSealed, sealed, new Date(Date.now() + PREVIOUS_SECRET_LIFETIME_MS));
  if (!rotated) throw new ConflictError('The subscription changed while its secret was rotated; try again');
  return { subscription: rotated, secret };
}

export async function deleteWebhookSubscription(context: WebhooksContext, raw: unknown): Promise<{ subscriptionId: string }> {
  const subscription = await managedSubscription(context, raw);
  if (!(await context.subscriptions.delete(subscription.id))) throw new NotFoundError('Webhook subscription', subscription.id);
  return { subscriptionId: subscription.id };
}
