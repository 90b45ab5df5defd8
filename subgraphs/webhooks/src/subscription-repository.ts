import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, isUuid, sql } from '@lapor-hub/lib';
import { groupBy } from '@lapor-hub/lib/database';
import type { SealedSecrets } from './domain/secret-sealing';
import { WebhookSubscriptionSchema, type WebhookSubscription } from './entities/subscription';

/** A new subscription's row (`SubscriptionRepository.insert`). */
export type NewSubscription = Pick<
  WebhookSubscription,
  'id' | 'agencyId' | 'url' | 'events' | 'description' | 'inspectorate' | 'includeDescendants' | 'createdBy' | 'createdByRole' | 'createdAt'
> & { sealed: SealedSecrets };

/** A subscription's secrets as its row holds them. */
export function sealedSecretsOf(subscription: Pick<WebhookSubscription, 'secretKeyId' | 'secretSealed' | 'previousSecretSealed'>): SealedSecrets {
  return { keyId: subscription.secretKeyId, current: subscription.secretSealed, previous: subscription.previousSecretSealed ?? null };
}

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
      sql`insert into webhooks.subscription (id, agency_id, url, events, description, secret_key_id, secret_sealed, inspectorate, include_descendants,
                                             created_by, created_by_role, created_at)
          values (${subscription.id}, ${subscription.agencyId}, ${subscription.url}, ${sql.textArray(subscription.events)}, ${subscription.description},
                  ${subscription.sealed.keyId}, ${subscription.sealed.current}, ${subscription.inspectorate}, ${subscription.includeDescendants},
                  ${subscription.createdBy}, ${subscription.createdByRole}, ${subscription.createdAt})
          returning *`,
    );
    return this.em.map(WebhookSubscriptionSchema, row);
  }

  /**
   * New secrets (the new one, and the one it replaces as previous, signing beside it until
   * `previousExpiresAt`), unless the row's secret is no longer `replaced` (another rotation, or a
   * re-sealing, came first): null then, as for a subscription that is gone.
   */
  async rotateSecret(id: string, replaced: Buffer, sealed: SealedSecrets, previousExpiresAt: Date): Promise<WebhookSubscription | null> {
    const [row] = await execute(
      this.em,
      sql`update webhooks.subscription
          set secret_key_id = ${sealed.keyId}, secret_sealed = ${sealed.current}, previous_secret_sealed = ${sealed.previous},
              previous_secret_expires_at = ${previousExpiresAt}
          where id = ${id} and secret_sealed = ${replaced} returning *`,
    );
    return row ? this.em.map(WebhookSubscriptionSchema, row) : null;
  }

  /** Up to `limit` subscriptions whose secrets are sealed under none of `keyIds`. */
  async sealedUnderOtherKeys(keyIds: string[], limit: number): Promise<WebhookSubscription[]> {
    const rows = await execute(
      this.em,
      sql`select * from webhooks.subscription where secret_key_id <> all(${sql.textArray(keyIds)}) order by id limit ${limit}`,
    );
    return rows.map((row) => this.em.map(WebhookSubscriptionSchema, row));
  }

  /** Secrets sealed again, each unless its row changed since it was read (a rotation meanwhile sealed under the current key already). */
  async reseal(rows: { id: string; replaced: Buffer; sealed: SealedSecrets }[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map(
      (row) => sql`(${row.id}::uuid, ${row.replaced}::bytea, ${row.sealed.keyId}, ${row.sealed.current}::bytea, ${row.sealed.previous}::bytea)`,
    );
    await execute(
      this.em,
      sql`update webhooks.subscription s
          set secret_key_id = r.key_id, secret_sealed = r.current, previous_secret_sealed = r.previous
          from (values ${sql.join(values, ', ')}) as r(id, replaced, key_id, current, previous)
          where s.id = r.id and s.secret_sealed = r.replaced`,
    );
  }

  /** Deletes a subscription and (by cascade) its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const rows = await execute(this.em, sql`delete from webhooks.subscription where id = ${id} returning id`);
    return rows.length > 0;
  }
}
