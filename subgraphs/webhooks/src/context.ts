import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeDirectory, PageArgs, Viewer } from '@lapor-hub/lib';
import { batchLoader, groupedLoader, loaderById } from '@lapor-hub/lib/database';
import { DeliveryRepository } from './delivery-repository';
import type { RetryPolicy } from './domain/retry';
import type { WebhookSecretKeyring } from './domain/secret-sealing';
import type { UrlPolicy } from './domain/url-policy';
import type { DeliveryStatus, WebhookDelivery } from './entities/delivery';
import type { WebhookSubscription } from './entities/subscription';
import type { DeliveryWorker } from './services/delivery-worker';
import { SubscriptionRepository } from './subscription-repository';

export interface WebhooksServiceDeps {
  directory: NodeDirectory;
  worker: Pick<DeliveryWorker, 'kick'>;
  urlPolicy: UrlPolicy;
  retry: RetryPolicy;
  keyring: WebhookSecretKeyring;
}

export type WebhooksContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager and fresh loaders, so nothing is cached across requests. */
export function createContext(em: EntityManager, viewer: Viewer, deps: WebhooksServiceDeps) {
  const subscriptions = new SubscriptionRepository(em);
  const deliveries = new DeliveryRepository(em);
  return {
    viewer,
    em,
    subscriptions,
    deliveries,
    ...deps,
    loaders: {
      nodeById: batchLoader((ids) => deps.directory.nodes(ids)),
      subscriptionById: loaderById((ids) => subscriptions.findByIds(ids), (subscription) => subscription.id),
      deliveryById: loaderById((ids) => deliveries.findByIds(ids), (delivery) => delivery.id),
      subscriptionsByAgency: groupedLoader<{ inspectorate: boolean | null }, WebhookSubscription[]>(
        (agencyIds, { inspectorate }) => subscriptions.findByAgencyIds(agencyIds, inspectorate),
        () => [],
      ),
      deliveryPage: groupedLoader<{ status: DeliveryStatus | null; page: PageArgs }, WebhookDelivery[]>(
        (subscriptionIds, { status, page }) => deliveries.pagesBySubscription(subscriptionIds, status, page),
        () => [],
      ),
      deliveryCount: groupedLoader<{ status: DeliveryStatus | null }, number>(
        (subscriptionIds, { status }) => deliveries.countsBySubscription(subscriptionIds, status),
        () => 0,
      ),
    },
  };
}
