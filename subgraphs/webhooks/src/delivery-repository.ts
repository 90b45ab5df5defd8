import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, isUuid, keysetAfter, sql, type PageArgs, type SqlFragment } from '@lapor-hub/lib';
import { groupBy } from '@lapor-hub/lib/database';
import type { EventAudience } from './domain/access';
import type { HubEventInput } from './domain/hub-event';
import type { SealedSecrets } from './domain/secret-sealing';
import type { WebhookEventType } from './domain/events';
import { WebhookDeliverySchema, type DeliveryStatus, type WebhookDelivery } from './entities/delivery';

/** Lists run newest first; the cursor is the row's (createdAt, id). */
export function deliverySortKey(delivery: WebhookDelivery): unknown[] {
  return [delivery.createdAt.toISOString(), delivery.id];
}

const SORT_KEY = [
  { column: 'd.created_at', type: 'timestamptz' },
  { column: 'd.id', type: 'uuid' },
] as const;

const statusSql = (status: DeliveryStatus | null): SqlFragment => (status ? sql` and d.status = ${status}` : sql.empty);

/** A delivery claimed for one attempt, with what the attempt sends and where. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  event: WebhookEventType;
  attempts: number;
  giveUpAt: Date;
  occurredAt: Date;
  payload: Record<string, unknown>;
  url: string;
  /** The live signing secrets, sealed: the current one, and the previous one until it expires. */
  sealed: SealedSecrets;
}

/** How an attempt ended, as recorded. */
export interface AttemptRecord {
  id: string;
  subscriptionId: string;
  responseStatus: number | null;
  error: string | null;
}

const seconds = (ms: number) => ms / 1000;

// The delivery worker's statements carry this mark, so that tests counting a request's statements can tell them apart.
const WORKER = sql.raw('/* webhook-worker */ ');

/** Events, deliveries and the worker's claims; each method is one SQL statement. */
export class DeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records each event once (by its id) and, in the same statement, queues one delivery per
   * matching active subscription: one that subscribed to the event's type, of a node that reads it
   * as its own (or, including descendants, of a node above those), and of the event's kind of
   * reader — an Inspectorate subscription for a supervisory complaint's event, any other
   * subscription for any other event (`domain/access.ts`). An event already recorded queues
   * nothing again.
   */
  async recordEvents(events: readonly (HubEventInput & { audience: EventAudience })[], giveUpAfterMs: number): Promise<{ recorded: number; deliveries: number }> {
    if (events.length === 0) return { recorded: 0, deliveries: 0 };
    const rows = events.map((event, ord) => ({
      id: event.id,
      ord,
      type: event.type,
      occurred_at: event.occurredAt.toISOString(),
      agency_ids: event.audience.agencyIds,
      ancestor_ids: event.audience.ancestorIds,
      supervisory: event.supervisory,
      confidential: event.confidential,
      complaint_id: event.complaintId ?? null,
      escalation_id: event.escalationId ?? null,
      payload: event.payload,
    }));
    const [result] = await execute<{ recorded: number; deliveries: number }>(
      this.em,
      sql`with incoming as (
            select distinct on (e.id) e.* from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(
              id uuid, ord int, type text, occurred_at timestamptz, agency_ids text[], ancestor_ids text[], supervisory boolean, confidential boolean,
              complaint_id uuid, escalation_id uuid, payload jsonb)
            order by e.id, e.ord
          ), recorded as (
            insert into webhooks.hub_event (id, type, occurred_at, agency_ids, ancestor_ids, supervisory, confidential, complaint_id, escalation_id, payload, recorded_at)
            select id, type, occurred_at, agency_ids, ancestor_ids, supervisory, confidential, complaint_id, escalation_id, payload, now() from incoming order by ord
            on conflict (id) do nothing
            returning id
          ), queued as (
            insert into webhooks.delivery (id, subscription_id, event_id, event, ordering_key, status, attempts, next_attempt_at, give_up_at, created_at)
            select gen_random_uuid(), s.id, e.id, e.type, coalesce(e.complaint_id, e.escalation_id, e.id)::text, 'PENDING', 0,
                   now(), now() + make_interval(secs => ${seconds(giveUpAfterMs)}), now()
            from incoming e
            join recorded r on r.id = e.id
            join webhooks.subscription s on s.active and e.type = any(s.events) and s.inspectorate = e.supervisory
              and (s.agency_id = any(e.agency_ids) or (s.include_descendants and s.agency_id = any(e.ancestor_ids)))
            order by e.ord, s.id
            returning id
          )
          select (select count(*) from recorded)::int as recorded, (select count(*) from queued)::int as deliveries`,
    );
    return result;
  }

  /**
   * Claims up to `limit` due deliveries for one attempt each (FOR UPDATE SKIP LOCKED: replicas
   * claim different ones), never one whose subscription has an earlier pending delivery of the
   * same complaint. A claim pushes `next_attempt_at` out by `leaseMs`: were the worker to die
   * mid-attempt, the delivery is due again then, for any worker.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await execute<{
      id: string;
      subscription_id: string;
      event: WebhookEventType;
      attempts: number;
      give_up_at: Date;
      occurred_at: Date;
      payload: Record<string, unknown>;
      url: string;
      secret_key_id: string;
      secret_sealed: Buffer;
      previous_secret_sealed: Buffer | null;
      previous_secret_expires_at: Date | null;
    }>(
      this.em,
      sql`${WORKER}with due as (
            select d.id from webhooks.delivery d
            join webhooks.subscription s on s.id = d.subscription_id and s.active
            where d.status = 'PENDING' and d.next_attempt_at <= now()
              and not exists (
                select 1 from webhooks.delivery earlier
                where earlier.subscription_id = d.subscription_id and earlier.ordering_key = d.ordering_key
                  and earlier.status = 'PENDING' and earlier.seq < d.seq)
            order by d.next_attempt_at, d.seq
            limit ${limit}
            for update of d skip locked
          )
          update webhooks.delivery d
          set attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => ${seconds(leaseMs)})
          from due, webhooks.hub_event e, webhooks.subscription s
          where d.id = due.id and e.id = d.event_id and s.id = d.subscription_id
          returning d.id, d.subscription_id, d.event, d.attempts, d.give_up_at, e.occurred_at, e.payload, s.url, s.secret_key_id, s.secret_sealed,
                    s.previous_secret_sealed, s.previous_secret_expires_at`,
    );
    const now = Date.now();
    return rows.map((row) => ({
      id: row.id,
      subscriptionId: row.subscription_id,
      event: row.event,
      attempts: row.attempts,
      giveUpAt: new Date(row.give_up_at),
      occurredAt: new Date(row.occurred_at),
      payload: row.payload,
      url: row.url,
      sealed: {
        keyId: row.secret_key_id,
        current: row.secret_sealed,
        previous: row.previous_secret_expires_at && new Date(row.previous_secret_expires_at).getTime() > now ? row.previous_secret_sealed : null,
      },
    }));
  }

  /** A 2xx: the delivery is done, and its subscription is no longer failing. */
  async markDelivered(attempt: AttemptRecord): Promise<void> {
    await execute(
      this.em,
      sql`${WORKER}with done as (
            update webhooks.delivery set status = 'DELIVERED', response_status = ${attempt.responseStatus}, last_error = null, next_attempt_at = null
            where id = ${attempt.id} returning subscription_id
          )
          update webhooks.subscription set failing_since = null where id in (select subscription_id from done) and failing_since is not null`,
    );
  }

  /**
   * A failed attempt: retried at `retryAt`, or FAILED when that is past the delivery's last
   * chance. The subscription counts as failing from its first failure since its last success.
   */
  async markFailed(attempt: AttemptRecord, retryAt: Date): Promise<{ failingSince: Date }> {
    const [row] = await execute<{ failing_since: Date }>(
      this.em,
      sql`${WORKER}with failed as (
            update webhooks.delivery
            set response_status = ${attempt.responseStatus}, last_error = ${attempt.error},
                status = case when ${retryAt}::timestamptz > give_up_at then 'FAILED' else 'PENDING' end,
                next_attempt_at = case when ${retryAt}::timestamptz > give_up_at then null else ${retryAt}::timestamptz end
            where id = ${attempt.id} returning subscription_id
          )
          update webhooks.subscription set failing_since = coalesce(failing_since, now())
          where id in (select subscription_id from failed) returning failing_since`,
    );
    return { failingSince: row ? new Date(row.failing_since) : new Date() };
  }

  /**
   * Disables a subscription with the reason its admin reads, and fails its pending deliveries (a
   * disabled subscription is sent nothing more). `attempt`, when given, is the attempt that
   * disabled it (a 410 Gone).
   */
  async disableSubscription(subscriptionId: string, reason: string, attempt: AttemptRecord | null): Promise<void> {
    await execute(
      this.em,
      sql`${WORKER}with disabled as (
            update webhooks.subscription set active = false, disabled_reason = ${reason} where id = ${subscriptionId} and active returning id
          )
          update webhooks.delivery d
          set status = 'FAILED', next_attempt_at = null,
              response_status = case when d.id = ${attempt?.id ?? null}::uuid then ${attempt?.responseStatus ?? null}::int else d.response_status end,
              last_error = case when d.id = ${attempt?.id ?? null}::uuid then ${attempt?.error ?? null} else 'The subscription was disabled' end
          where d.subscription_id = ${subscriptionId} and d.status = 'PENDING'`,
    );
  }

  /** When the next pending delivery falls due, if any (the worker sleeps until then). */
  async nextDueAt(): Promise<Date | null> {
    const [row] = await execute<{ due: Date | null }>(
      this.em,
      sql`${WORKER}select min(d.next_attempt_at) as due from webhooks.delivery d where d.status = 'PENDING'`,
    );
    return row?.due ? new Date(row.due) : null;
  }

  async findByIds(ids: readonly string[]): Promise<WebhookDelivery[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.em.find(WebhookDeliverySchema, { id: { $in: valid } });
  }

  /** A delivery queued again for now, with a fresh day of retries; null when there is none. */
  async redeliver(id: string, giveUpAfterMs: number): Promise<WebhookDelivery | null> {
    const [row] = await execute(
      this.em,
      sql`update webhooks.delivery
          set status = 'PENDING', next_attempt_at = now(), give_up_at = now() + make_interval(secs => ${seconds(giveUpAfterMs)})
          where id = ${id} returning *`,
    );
    return row ? this.em.map(WebhookDeliverySchema, row) : null;
  }

  /**
   * The same page of deliveries for many subscriptions at once: one statement, an index walk per
   * subscription (lib's `pagesPerOwner` takes text owners; a subscription's id is a uuid, and a
   * cast on the column would cost its index).
   */
  async pagesBySubscription(subscriptionIds: string[], status: DeliveryStatus | null, page: PageArgs): Promise<Map<string, WebhookDelivery[]>> {
    const rows = await execute(
      this.em,
      sql`select d.* from unnest(${sql.textArray(subscriptionIds)}::uuid[]) as owner(id)
          cross join lateral (
            select d.* from webhooks.delivery d where d.subscription_id = owner.id${statusSql(status)}${keysetAfter(page.after, SORT_KEY, '<')}
            order by d.created_at desc, d.id desc limit ${page.first + 1}
          ) d`,
    );
    return groupBy(
      rows.map((row) => this.em.map(WebhookDeliverySchema, row)),
      (delivery) => delivery.subscriptionId,
    );
  }

  async countsBySubscription(subscriptionIds: string[], status: DeliveryStatus | null): Promise<Map<string, number>> {
    const rows = await execute<{ owner: string; count: number }>(
      this.em,
      sql`select d.subscription_id as owner, count(*)::int as count from webhooks.delivery d
          where d.subscription_id = any(${subscriptionIds})${statusSql(status)} group by d.subscription_id`,
    );
    return new Map(rows.map((row) => [row.owner, row.count]));
  }
}
