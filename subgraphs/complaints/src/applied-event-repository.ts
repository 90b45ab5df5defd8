import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql } from '@lapor-hub/lib';

/** An event of another subgraph that this one has taken, as `applied_event` records it. */
export interface AppliedEvent {
  eventId: string;
  escalationId: string;
  complaintId: string;
}

/** The events applied so far (a redelivery changes nothing); each method is one SQL statement. */
export class AppliedEventRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records the event as taken, unless it already was: `false` when an earlier delivery recorded it.
   * `on conflict do nothing` waits for a concurrent delivery's insert to commit or roll back, so two
   * deliveries at once never both record it.
   */
  async record(event: AppliedEvent, outcome: string, at: Date): Promise<boolean> {
    const inserted = await execute(
      this.em,
      sql`insert into complaints.applied_event (event_id, escalation_id, complaint_id, outcome, applied_at)
       values (${event.eventId}, ${event.escalationId}, ${event.complaintId}, ${outcome}, ${at}) on conflict (event_id) do nothing returning event_id`,
    );
    return inserted.length > 0;
  }

  async find(eventId: string): Promise<AppliedEvent | null> {
    const [row] = await execute<{ event_id: string; escalation_id: string; complaint_id: string }>(
      this.em,
      sql`select event_id, escalation_id, complaint_id from complaints.applied_event where event_id = ${eventId}`,
    );
    return row ? { eventId: row.event_id, escalationId: row.escalation_id, complaintId: row.complaint_id } : null;
  }
}
