import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, groupBy, isIsoTimestamp, isUuid, type PageArgs } from '@lapor-hub/lib';
import { Complaint, type ComplaintStatus } from './entities/complaint';
import { FollowUp } from './entities/follow-up';
import { ReporterContact } from './entities/reporter-contact';
import { TimelineEntry } from './entities/timeline-entry';

/** Which of an agency's relations to complaints a listing follows. */
export type AgencyRelation = 'assigned' | 'addressed';
const RELATION_COLUMN: Record<AgencyRelation, string> = {
  assigned: 'assigned_agency_id',
  addressed: 'addressed_agency_id',
};

export interface ComplaintFilter {
  relation: AgencyRelation;
  status: ComplaintStatus | null;
  /** true: the current step's deadline has passed; false: it has not (or there is none). */
  overdue: boolean | null;
  /** Leave confidential complaints out (public viewers). */
  publicOnly: boolean;
  /** Only supervisory complaints (true), none of them (false), or both (null). */
  supervisory: boolean | null;
}

/** Lists run newest first; the cursor is the row's (submittedAt, id). */
export function complaintSortKey(complaint: Complaint): unknown[] {
  return [complaint.submittedAt.toISOString(), complaint.id];
}

/** The decoded `after` cursor, checked before it reaches SQL. */
function afterSql(after: unknown[] | null): { sql: string; params: unknown[] } {
  if (!after) return { sql: '', params: [] };
  const [submittedAt, id] = after;
  if (!isIsoTimestamp(submittedAt) || !isUuid(id)) {
    throw new BadUserInputError('after is not a cursor this API issued', 'after');
  }
  return { sql: ' and (c.submitted_at, c.id) < (?::timestamptz, ?::uuid)', params: [submittedAt, id] };
}

/** A forwarded complaint whose follow-up deadline passed, as the escalation sweep reads it. */
export interface BreachedComplaintRow {
  complaintId: string;
  assignedAgencyId: string;
  followUpDueAt: Date;
  version: number;
  /** Supervisory: the escalation service marks the breach's escalation so (the Inspectorate's alone). */
  supervisory: boolean;
  /** The row's position in the scan, for the cursor: the deadline to the microsecond, and the id. */
  sortKey: [string, string];
}

// The deadline as PostgreSQL holds it, to the microsecond: a JS Date (milliseconds) in the cursor
// would sort before a row with sub-millisecond digits and serve that row again on the next page.
const MICROSECOND_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** The decoded `after` cursor of `breachedComplaints`, checked before it reaches SQL. */
function breachedAfterSql(after: unknown[] | null): { sql: string; params: unknown[] } {
  if (!after) return { sql: '', params: [] };
  const [dueAt, id] = after;
  if (after.length !== 2 || typeof dueAt !== 'string' || !MICROSECOND_TIMESTAMP.test(dueAt) || Number.isNaN(Date.parse(dueAt)) || !isUuid(id)) {
    throw new BadUserInputError('after is not a cursor this API issued', 'after');
  }
  return { sql: ' and (c.follow_up_due_at, c.id) > (?::timestamptz, ?::uuid)', params: [dueAt, id] };
}

function filterSql(filter: ComplaintFilter): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  if (filter.status) {
    sql += ' and c.status = ?';
    params.push(filter.status);
  }
  if (filter.overdue === true) sql += ' and c.current_due_at < now()';
  if (filter.overdue === false) sql += ' and (c.current_due_at is null or c.current_due_at >= now())';
  if (filter.publicOnly) sql += ' and not c.confidential';
  if (filter.supervisory !== null) sql += filter.supervisory ? ' and c.supervisory' : ' and not c.supervisory';
  return { sql, params };
}

/** Queries of complaints; each method is one SQL statement. */
export class ComplaintRepository {
  constructor(private readonly em: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<Complaint[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? [] : this.em.find(Complaint, { id: { $in: valid } });
  }

  findByTrackingId(trackingId: string): Promise<Complaint | null> {
    return this.em.findOne(Complaint, { trackingId });
  }

  findByIdempotencyKey(idempotencyKey: string): Promise<Complaint | null> {
    return this.em.findOne(Complaint, { idempotencyKey });
  }

  findReporters(complaintIds: readonly string[]): Promise<ReporterContact[]> {
    return this.em.find(ReporterContact, { complaintId: { $in: complaintIds.filter(isUuid) } });
  }

  /** Rows of many complaints, oldest first, grouped by complaint. */
  async timelines(complaintIds: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
    const rows = await this.em.find(TimelineEntry, { complaintId: { $in: complaintIds.filter(isUuid) } }, { orderBy: { at: 'asc', id: 'asc' } });
    return groupBy(rows, (row) => row.complaintId);
  }

  async followUps(complaintIds: readonly string[]): Promise<Map<string, FollowUp[]>> {
    const rows = await this.em.find(FollowUp, { complaintId: { $in: complaintIds.filter(isUuid) } }, { orderBy: { postedAt: 'asc', id: 'asc' } });
    return groupBy(rows, (row) => row.complaintId);
  }

  /** The same page of complaints for many agencies at once: one statement, an index walk per agency. */
  async pagesByAgency(agencyIds: string[], filter: ComplaintFilter, page: PageArgs): Promise<Map<string, Complaint[]>> {
    const column = RELATION_COLUMN[filter.relation];
    const where = filterSql(filter);
    const after = afterSql(page.after);
    // A lateral page per agency walks its index and stops after `first + 1` rows, however many
    // complaints the agency holds (a window over the whole inbox would sort all of them).
    const rows = await this.em.execute(
      `select c.* from unnest(array[${agencyIds.map(() => '?').join(', ')}]::text[]) as owner(id)
       cross join lateral (
         select c.* from complaints.complaint c where c.${column} = owner.id${where.sql}${after.sql}
         order by c.submitted_at desc, c.id desc limit ?
       ) c`,
      [...agencyIds, ...where.params, ...after.params, page.first + 1],
    );
    const complaints = rows.map((row) => this.em.map(Complaint, row));
    return groupBy(complaints, (complaint) => (filter.relation === 'assigned' ? complaint.assignedAgencyId! : complaint.addressedAgencyId));
  }

  /**
   * One page of the FORWARDED complaints whose follow-up deadline is before `dueBefore`, earliest
   * deadline first (then by id), `page.first + 1` rows (the extra one tells that a next page exists).
   */
  async breached(dueBefore: Date, page: PageArgs): Promise<BreachedComplaintRow[]> {
    const after = breachedAfterSql(page.after);
    const rows = await this.em.execute<
      { id: string; assigned_agency_id: string; follow_up_due_at: Date; version: number; supervisory: boolean; due_key: string }[]
    >(
      `select c.id, c.assigned_agency_id, c.follow_up_due_at, c.version, c.supervisory,
              to_char(c.follow_up_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as due_key
       from complaints.complaint c
       where c.status = 'FORWARDED' and c.follow_up_due_at < ?${after.sql}
       order by c.follow_up_due_at, c.id
       limit ?`,
      [dueBefore, ...after.params, page.first + 1],
    );
    return rows.map((row) => ({
      complaintId: row.id,
      assignedAgencyId: row.assigned_agency_id,
      followUpDueAt: new Date(row.follow_up_due_at),
      version: row.version,
      supervisory: row.supervisory,
      sortKey: [row.due_key, row.id],
    }));
  }

  async countsByAgency(agencyIds: string[], filter: ComplaintFilter): Promise<Map<string, number>> {
    const column = RELATION_COLUMN[filter.relation];
    const where = filterSql(filter);
    const rows = await this.em
      .execute<{ owner: string; count: number }[]>(
        `select c.${column} as owner, count(*)::int as count from complaints.complaint c
         where c.${column} in (?)${where.sql} group by c.${column}`,
        [agencyIds, ...where.params],
      );
    return new Map(rows.map((row) => [row.owner, row.count]));
  }
}
