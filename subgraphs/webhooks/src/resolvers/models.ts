import type { Connection } from '@lapor-hub/lib';
import type { WebhookDelivery } from '../entities/delivery';

/** A page of deliveries as the resolvers build it (`toConnection`); its total is counted only when asked for. */
export type DeliveryPage = Connection<WebhookDelivery>;

/** An entity another subgraph owns (an agency): here only its key. */
export interface EntityReference {
  id: string;
}
