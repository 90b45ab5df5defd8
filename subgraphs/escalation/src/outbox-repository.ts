import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql } from '@lapor-hub/lib';
import { OutboxEventSchema, type OutboxEvent } from './entities/outbox-event';

/** The outbox of events for other subgraphs; each method is one SQL statement. */
export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Claims up to `limit` undelivered events that are due, oldest first, by moving their next
   * attempt to `leaseUntil` in one statement: the rows are locked only while it runs (SKIP LOCKED,
   * so replicas claim different events), and nobody else claims them until the lease passes. A
   * relay that dies mid-delivery thus only delays its events until then; the receiver applies each
   * event id once, so the delivery that follows changes nothing it already applied.
   */
  async claimDue(limit: number, now: Date, leaseUntil: Date): Promise<OutboxEvent[]> {
    const rows = await execute(
      this.em,
      sql`update escalation.outbox_event o set next_attempt_at = ${leaseUntil}
          where o.id in (
            select id from escalation.outbox_event
            where delivered_at is null and next_attempt_at <= ${now}
            order by created_at, id limit ${limit} for update skip locked
          )
          returning o.*`,
    );
    return rows
      .map((row) => this.em.map(OutboxEventSchema, row))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }
}
