import type { EntityManager } from '@mikro-orm/postgresql';

const BATCH = 500;

/**
 * Closes every FOLLOWED_UP complaint whose `closesAt` has passed (the reporter stayed silent),
 * recording the system as closer. Each batch is one statement: the rows are locked with
 * SKIP LOCKED, so replicas running it together never close a complaint twice, and a closed
 * complaint no longer matches, so running it again changes nothing.
 */
export async function closeSilentComplaints(em: EntityManager, now: Date = new Date()): Promise<number> {
  let closed = 0;
  for (;;) {
    const rows = await em.execute<{ complaint_id: string }[]>(
      `with due as (
         select id from complaints.complaint
         where status = 'FOLLOWED_UP' and closes_at <= ?
         order by closes_at limit ? for update skip locked
       ), closed as (
         update complaints.complaint c
         set status = 'CLOSED', closed_by = 'SYSTEM', closed_at = ?, closes_at = null, current_due_at = null,
             version = c.version + 1, updated_at = ?
         from due where c.id = due.id
         returning c.id, c.assigned_agency_id
       )
       insert into complaints.timeline_entry (id, complaint_id, action, from_status, to_status, actor_kind, agency_id, note, at)
       select gen_random_uuid(), id, 'AUTO_CLOSE', 'FOLLOWED_UP', 'CLOSED', 'SYSTEM', assigned_agency_id,
              'Closed: no reply within 10 working days of the follow-up', ?
       from closed
       returning complaint_id`,
      [now, BATCH, now, now, now],
    );
    closed += rows.length;
    if (rows.length < BATCH) return closed;
  }
}
