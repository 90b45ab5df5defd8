import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, isUuid, type PageArgs } from '@lapor-hub/lib';
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
  if (typeof submittedAt !== 'string' || Number.isNaN(Date.parse(submittedAt)) || !isUuid(id)) {
    throw new BadUserInputError('after is not a cursor this API issued', 'after');
  }
  return { sql: ' and (c.submitted_at, c.id) < (?::timestamptz, ?::uuid)', params: [submittedAt, id] };
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

  /** The same page of complaints for many agencies at once: one statement, a window per agency. */
  async pagesByAgency(agencyIds: string[], filter: ComplaintFilter, page: PageArgs): Promise<Map<string, Complaint[]>> {
    const column = RELATION_COLUMN[filter.relation];
    const where = filterSql(filter);
    const after = afterSql(page.after);
    const rows = await this.em.execute(
      `select * from (
         select c.*, row_number() over (partition by c.${column} order by c.submitted_at desc, c.id desc) as position
         from complaints.complaint c where c.${column} in (?)${where.sql}${after.sql}
       ) ranked where position <= ? order by ${column}, position`,
      [agencyIds, ...where.params, ...after.params, page.first + 1],
    );
    const complaints = rows.map(({ position: _position, ...row }) => this.em.map(Complaint, row));
    return groupBy(complaints, (complaint) => (filter.relation === 'assigned' ? complaint.assignedAgencyId! : complaint.addressedAgencyId));
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

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row)) ?? [];
    group.push(row);
    groups.set(keyOf(row), group);
  }
  return groups;
}
