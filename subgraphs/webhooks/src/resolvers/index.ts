import { GraphQLScalarType } from 'graphql';
import { DateTimeScalar, pageArgs, toConnection } from '@lapor-hub/lib';
import type { WebhooksContext } from '../context';
import { deliverySortKey } from '../delivery-repository';
import { canManageSubscription, subscriptionListScope } from '../domain/access';
import type { WebhookSubscription } from '../entities/subscription';
import type { Resolvers } from '../generated/resolvers-types';
import { redeliverWebhook, recordHubEvents } from '../services/deliveries';
import { createWebhookSubscription, deleteWebhookSubscription, rotateWebhookSecret } from '../services/subscriptions';

/** The producers' event payloads: any JSON, checked by `recordHubEvents`'s input schema. */
const JsonScalar = new GraphQLScalarType({ name: 'JSON', serialize: (value) => value, parseValue: (value) => value });

async function manageable(subscription: WebhookSubscription | null, context: WebhooksContext): Promise<WebhookSubscription | null> {
  if (!subscription) return null;
  return canManageSubscription(context.viewer, subscription, await context.loaders.nodeById.load(subscription.agencyId)) ? subscription : null;
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JsonScalar,
  Mutation: {
    createWebhookSubscription: (_, { input }, context) => createWebhookSubscription(context, input),
    rotateWebhookSecret: (_, { input }, context) => rotateWebhookSecret(context, input),
    deleteWebhookSubscription: (_, { input }, context) => deleteWebhookSubscription(context, input),
    redeliverWebhook: (_, { input }, context) => redeliverWebhook(context, input),
    recordHubEvents: (_, { input }, context) => recordHubEvents(context, input),
  },
  Agency: {
    __resolveReference: (reference) => ({ id: reference.id }),
    webhookSubscriptions: async (agency, _, context) => {
      const { inspectorate } = subscriptionListScope(context.viewer, await context.loaders.nodeById.load(agency.id));
      return context.loaders.subscriptionsByAgency.load({ ownerId: agency.id, inspectorate });
    },
  },
  WebhookSubscription: {
    __resolveReference: async (reference, context) => manageable(await context.loaders.subscriptionById.load(reference.id), context),
    agency: (subscription) => ({ id: subscription.agencyId }),
    // Reached only from a subscription the viewer manages (its node's list, a mutation's answer).
    deliveries: (subscription, args, context) => {
      const page = pageArgs(args);
      const status = args.status ?? null;
      const { deliveryPage, deliveryCount } = context.loaders;
      return deliveryPage
        .load({ ownerId: subscription.id, status, page })
        .then((rows) => toConnection(rows, page.first, deliverySortKey, () => deliveryCount.load({ ownerId: subscription.id, status })));
    },
  },
  WebhookDelivery: {
    __resolveReference: async (reference, context) => {
      const delivery = await context.loaders.deliveryById.load(reference.id);
      const subscription = delivery && (await manageable(await context.loaders.subscriptionById.load(delivery.subscriptionId), context));
      return subscription ? delivery : null;
    },
    nextAttemptAt: (delivery) => (delivery.status === 'PENDING' ? (delivery.nextAttemptAt ?? null) : null),
  },
};
