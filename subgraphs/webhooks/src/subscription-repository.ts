import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, isUuid, sql } from '@lapor-hub/lib';
import { groupBy } from '@lapor-hub/lib/database';
import { WebhookSubscriptionSchema, type WebhookSubscription } from './entities/subscription';

/** A new subscription's row (`SubscriptionRepository.insert`). */
export type NewSubscription = Pick<
  WebhookSubscription,
  'id' | 'agencyId' | 'url' | 'events' | 'description' | 'secret' | 'inspectorate' | 'includeDescendants' | 'createdBy' | 'createdByRole' | 'createdAt'
>;

/** Queries of subscriptions; each method is one SQL statement. */
export class SubscriptionRepository {
  constructor(private readonly em: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<WebhookSubscription[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.em.find(WebhookSubscriptionSchema, { id: { $in: valid } });
  }

  /** Each node's subscriptions, oldest first; `inspectorate` null for both kinds. */
  async findByAgencyIds(agencyIds: readonly string[], inspectorate: boolean | null): Promise<Map<string, WebhookSubscription[]>> {
    const rows = await this.em.find(
      WebhookSubscriptionSchema,
      inspectorate === null ? { agencyId: { $in: [...agencyIds] } } : { agencyId: { $in: [...agencyIds] }, inspectorate },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return groupBy(rows, (subscription) => subscription.agencyId);
  }

  async insert(subscription: NewSubscription): Promise<WebhookSubscription> {
    const [row] = await execute(
      this.em,
      sql`insert into webhooks.subscription (id, agency_id, url, events, description, secret, inspectorate, include_descendants, created_by, created_by_role, created_at)
          values (${subscription.id}, ${subscription.agencyId}, ${subscription.url}, ${sql.textArray(subscription.events)}, ${subscription.description},
                  ${subscription.secret}, ${subscription.inspectorate}, ${subscription.includeDescendants}, ${subscription.createdBy}, ${subscription.createdByRole},
                  ${subscription.createdAt})
          returning *`,
    );
    return this.em.map(WebhookSubscriptionSchema, row);
  }

  /** A new secret; the current one keeps signing beside it until `previousExpiresAt`. */
  async rotateSecret(id: string, secret: string, previousExpiresAt: Date): Promise<WebhookSubscription | null> {
    const [row] = await execute(
      this.em,
      sql`update webhooks.subscription set previous_secret = secret, previous_secret_expires_at = ${previousExpiresAt}, secret = ${secret}
          where id = ${id} returning *`,
    );
    return row ? this.em.map(WebhookSubscriptionSchema, row) : null;
  }

  /** Deletes a subscription and (by cascade) its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const rows = await execute(this.em, sql`delete from webhooks.subscription where id = ${id} returning id`);
    return rows.length > 0;
  }
}
