import type { ResolverTypesConfig } from '../../schema/codegen';

/** How `npm run codegen` types this subgraph's resolvers: its context, and the model behind each type. */
export const resolverTypes: ResolverTypesConfig = {
  contextType: '../context#WebhooksContext',
  mappers: {
    WebhookSubscription: '../entities/subscription#WebhookSubscription as WebhookSubscriptionModel',
    WebhookDelivery: '../entities/delivery#WebhookDelivery as WebhookDeliveryModel',
    WebhookDeliveryConnection: '../resolvers/models#DeliveryPage',
    Agency: '../resolvers/models#EntityReference',
  },
};
