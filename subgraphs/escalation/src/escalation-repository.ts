import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, groupBy, isIsoTimestamp, isUuid, type PageArgs } from '@lapor-hub/lib';
import { Escalation, type EscalationStatus } from './entities/escalation';

/** Which end of an escalation a node's list follows. */
export type EscalationDirection = 'incoming' | 'outgoing';
const DIRECTION_COLUMN: Record<EscalationDirection, string> = { incoming: 'to_agency_id', outgoing: 'from_agency_id' };

export interface EscalationFilter {
  direction: EscalationDirection;
  status: EscalationStatus | null;
  /** Supervisory escalations too; false leaves them out (`domain/rules.ts`, `seesSupervisoryEscalations`). */
  includeSupervisory: boolean;
}

/** The filter's conditions on `escalation.escalation e`, after a `where`. */
function filterSql(filter: EscalationFilter): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  if (filter.status) {
    sql += ' and e.status = ?';
    params.push(filter.status);
  }
  if (!filter.includeSupervisory) sql += ' and not e.supervisory';
  return { sql, params };
}

/** Lists run newest first; the cursor is the row's (createdAt, id). */
export function escalationSortKey(escalation: Escalation): unknown[] {
  return [escalation.createdAt.toISOString(), escalation.id];
}

function afterSql(after: unknown[] | null): { sql: string; params: unknown[] } {
  if (!after) return { sql: '', params: [] };
  const [createdAt, id] = after;
  if (!isIsoTimestamp(createdAt) || !isUuid(id)) {
    throw new BadUserInputError('after is not a cursor this API issued', 'after');
  }
  return { sql: ' and (e.created_at, e.id) < (?::timestamptz, ?::uuid)', params: [createdAt, id] };
}

/** Queries of escalations; each method is one SQL statement. */
export class EscalationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids that are not UUIDs cannot exist, so they are dropped rather than sent to a uuid column. */
  async findByIds(ids: readonly string[]): Promise<Escalation[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.em.find(Escalation, { id: { $in: valid } });
  }

  /** Every escalation of each complaint, oldest first; the supervisory ones only if `includeSupervisory`. */
  async findByComplaintIds(complaintIds: readonly string[], { includeSupervisory }: { includeSupervisory: boolean }): Promise<Map<string, Escalation[]>> {
    const valid = complaintIds.filter(isUuid);
    if (valid.length === 0) return new Map();
    const where = includeSupervisory ? { complaintId: { $in: valid } } : { complaintId: { $in: valid }, supervisory: false };
    const rows = await this.em.find(Escalation, where, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return groupBy(rows, (escalation) => escalation.complaintId);
  }

  /** The same page of escalations for many agencies at once: one statement, a window per agency. */
  async pagesByAgency(agencyIds: string[], filter: EscalationFilter, page: PageArgs): Promise<Map<string, Escalation[]>> {
    const column = DIRECTION_COLUMN[filter.direction];
    const where = filterSql(filter);
    const after = afterSql(page.after);
    const rows = await this.em.execute(
      `select * from (
         select e.*, row_number() over (partition by e.${column} order by e.created_at desc, e.id desc) as position
         from escalation.escalation e where e.${column} in (?)${where.sql}${after.sql}
       ) ranked where position <= ? order by ${column}, position`,
      [agencyIds, ...where.params, ...after.params, page.first + 1],
    );
    const escalations = rows.map(({ position: _position, ...row }) => this.em.map(Escalation, row));
    return groupBy(escalations, (escalation) => (filter.direction === 'incoming' ? escalation.toAgencyId : escalation.fromAgencyId));
  }

  async countsByAgency(agencyIds: string[], filter: EscalationFilter): Promise<Map<string, number>> {
    const column = DIRECTION_COLUMN[filter.direction];
    const where = filterSql(filter);
    const rows = await this.em.execute<{ owner: string; count: number }[]>(
      `select e.${column} as owner, count(*)::int as count from escalation.escalation e
       where e.${column} in (?)${where.sql} group by e.${column}`,
      [agencyIds, ...where.params],
    );
    return new Map(rows.map((row) => [row.owner, row.count]));
  }
}
