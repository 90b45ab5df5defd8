import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql, type SqlFragment } from '@lapor-hub/lib';
import type { ReporterMessageKind } from './notifications/messages';

/** What a change tells its reporter: the kind and the references its text needs. */
export type QueuedMessage =
  | { kind: 'RECEIVED' }
  | { kind: 'FORWARDED'; agencyId: string }
  | { kind: 'FOLLOWED_UP'; agencyId: string; followUpId: string }
  | { kind: 'CLOSED'; closedBy: 'REPORTER' | 'SYSTEM' };

/** A claimed message with what sending it needs, read in the claiming statement. */
export interface ClaimedMessage {
  id: string;
  complaintId: string;
  /** The supporter it is for; null: the complaint's reporter. */
  supportId: string | null;
  kind: ReporterMessageKind;
  agencyId: string | null;
  closedBy: 'REPORTER' | 'SYSTEM' | null;
  createdAt: Date;
  attempts: number;
  /** Channels already sent in an earlier attempt (not sent again). */
  delivered: string[];
  trackingId: string;
  title: string;
  followUp: string | null;
  /** The reporter's contact, sealed; opened by the notifier only. */
  sealed: Buffer | null;
  stopped: boolean;
}

interface ClaimedRow {
  id: string;
  complaint_id: string;
  kind: ReporterMessageKind;
  agency_id: string | null;
  closed_by: 'REPORTER' | 'SYSTEM' | null;
  created_at: string;
  attempts: number;
  delivered: string;
  tracking_id: string;
  title: string;
  follow_up: string | null;
  support_id: string | null;
  sealed: Buffer | null;
  stopped: boolean;
}

/**
 * The reporters' outbox: written in the transaction of the change it tells of, drained by the
 * notifier. A complaint's recipients are its reporter (`reporter_subscription`, when they left a
 * contact) and each supporter who left one (`support` with a sealed contact): a change writes one
 * message per recipient still listening, each sent in order for its recipient.
 */
export class ReporterMessageRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * `subscribe` and `queue(…, { kind: 'RECEIVED' })` of a complaint being filed, as writes of the
   * statement that files it (`ComplaintRepository.file`): no part of that statement reads what
   * another writes, so the receipt cannot be selected from the subscription beside it; a new
   * complaint has no supporters, and a receipt goes to its reporter alone, so it is written directly.
   */
  static receiptWrites(complaintId: string, at: Date): SqlFragment[] {
    return [
      sql`insert into complaints.reporter_subscription (complaint_id, created_at) values (${complaintId}, ${at})`,
      sql`insert into complaints.reporter_message (complaint_id, support_id, kind, agency_id, follow_up_id, closed_by, created_at, next_attempt_at)
          values (${complaintId}, null, ${'RECEIVED'}, null, null, null, ${at}, ${at})`,
    ];
  }

  /** The complaint's reporter left an address or a number: its messages are written from now on. */
  async subscribe(complaintId: string, at: Date): Promise<void> {
    await execute(this.em, sql`insert into complaints.reporter_subscription (complaint_id, created_at) values (${complaintId}, ${at})`);
  }

  /**
   * Writes a message for the complaint's reporter and for each supporter who left a contact,
   * leaving out whoever stopped the messages. A supporter's receipt is their support's own (see
   * `ComplaintRepository.addSupport`), so a complaint's receipt goes to its reporter alone.
   */
  async queue(complaintId: string, message: QueuedMessage, at: Date): Promise<void> {
    const agencyId = 'agencyId' in message ? message.agencyId : null;
    const followUpId = 'followUpId' in message ? message.followUpId : null;
    const closedBy = 'closedBy' in message ? message.closedBy : null;
    await execute(
      this.em,
      sql`insert into complaints.reporter_message (complaint_id, support_id, kind, agency_id, follow_up_id, closed_by, created_at, next_attempt_at)
          select complaint_id, recipient.support_id, ${message.kind}, ${agencyId}, ${followUpId}::uuid, ${closedBy}, ${at}, ${at}
          from (
            select complaint_id, null::uuid as support_id from complaints.reporter_subscription where complaint_id = ${complaintId} and stopped_at is null
            union all
            select complaint_id, id from complaints.support
            where complaint_id = ${complaintId} and sealed is not null and stopped_at is null and ${message.kind !== 'RECEIVED'}::boolean
          ) recipient`,
    );
  }

  /**
   * Stops the reporter's messages about a complaint: none is written after, and those waiting are
   * skipped; the supporters' go on. Returns whether the reporter had messages to stop (one without
   * an address has none).
   */
  async stop(complaintId: string, at: Date): Promise<boolean> {
    const rows = await execute<{ complaint_id: string }>(
      this.em,
      sql`with stopped as (
            update complaints.reporter_subscription set stopped_at = coalesce(stopped_at, ${at})
            where complaint_id = ${complaintId} returning complaint_id
          ), skipped as (
            update complaints.reporter_message set state = 'SKIPPED', finished_at = ${at}, last_error = 'stopped by the reporter'
            where complaint_id in (select complaint_id from stopped) and support_id is null and state = 'PENDING'
          )
          select complaint_id from stopped`,
    );
    return rows.length > 0;
  }

  /** Stops one supporter's messages about the complaint they support, as `stop` does the reporter's. */
  async stopSupporter(complaintId: string, supportId: string, at: Date): Promise<boolean> {
    const rows = await execute<{ id: string }>(
      this.em,
      sql`with stopped as (
            update complaints.support set stopped_at = coalesce(stopped_at, ${at})
            where id = ${supportId} and complaint_id = ${complaintId} returning id
          ), skipped as (
            update complaints.reporter_message set state = 'SKIPPED', finished_at = ${at}, last_error = 'stopped by the supporter'
            where support_id in (select id from stopped) and state = 'PENDING'
          )
          select id from stopped`,
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` messages due at `now`, each the earliest still pending of its complaint
   * and recipient (a recipient's messages go out in order; one's outage holds back no other's): locked with SKIP LOCKED so that workers never claim
   * the same one, and leased until `now + leaseMs` (a worker that dies mid-send leaves it to be
   * claimed again when the lease ends: at least once).
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
    const rows = await execute<ClaimedRow>(
      this.em,
      sql`with due as (
            select m.id from complaints.reporter_message m
            where m.state = 'PENDING' and m.next_attempt_at <= ${now}
              and not exists (
                select 1 from complaints.reporter_message e
                where e.complaint_id = m.complaint_id and e.support_id is not distinct from m.support_id and e.state = 'PENDING' and e.id < m.id)
            order by m.next_attempt_at, m.id
            limit ${limit}
            for update of m skip locked
          ), claimed as (
            update complaints.reporter_message m
            set attempts = m.attempts + 1, next_attempt_at = ${new Date(now.getTime() + leaseMs)}
            from due where m.id = due.id
            returning m.*
          )
          select claimed.id, claimed.complaint_id, claimed.kind, claimed.agency_id, claimed.closed_by, claimed.created_at,
                 claimed.attempts, array_to_string(claimed.delivered, ',') as delivered, c.tracking_id, c.title, f.body as follow_up,
                 claimed.support_id,
                 case when claimed.support_id is null then rc.sealed else sp.sealed end as sealed,
                 case when claimed.support_id is null then s.stopped_at is not null else sp.stopped_at is not null end as stopped
          from claimed
          join complaints.complaint c on c.id = claimed.complaint_id
          left join complaints.reporter_subscription s on claimed.support_id is null and s.complaint_id = claimed.complaint_id
          left join complaints.reporter_contact rc on claimed.support_id is null and rc.complaint_id = claimed.complaint_id
          left join complaints.support sp on sp.id = claimed.support_id
          left join complaints.follow_up f on f.id = claimed.follow_up_id
          order by claimed.id`,
    );
    return rows.map((row) => ({
      id: String(row.id),
      complaintId: row.complaint_id,
      supportId: row.support_id,
      kind: row.kind,
      agencyId: row.agency_id,
      closedBy: row.closed_by,
      createdAt: new Date(row.created_at),
      attempts: row.attempts,
      delivered: row.delivered ? row.delivered.split(',') : [],
      trackingId: row.tracking_id,
      title: row.title,
      followUp: row.follow_up,
      sealed: row.sealed,
      stopped: row.stopped,
    }));
  }

  /** The message is done: SENT, SKIPPED (nothing to send it with, or stopped) or FAILED (given up). */
  async finish(id: string, state: 'SENT' | 'SKIPPED' | 'FAILED', delivered: string[], reason: string | null, at: Date): Promise<void> {
    await execute(
      this.em,
      sql`update complaints.reporter_message set state = ${state}, delivered = ${sql.textArray(delivered)}, last_error = ${reason}, finished_at = ${at}
          where id = ${id}`,
    );
  }

  /** The message is tried again at `at`; the channels in `delivered` are not sent again. */
  async retryAt(id: string, delivered: string[], reason: string, at: Date): Promise<void> {
    await execute(
      this.em,
      sql`update complaints.reporter_message set next_attempt_at = ${at}, delivered = ${sql.textArray(delivered)}, last_error = ${reason}
          where id = ${id}`,
    );
  }
}
