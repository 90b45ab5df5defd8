import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { countsPerOwner, execute, isUuid, NotFoundError, pagesPerOwner, readRows, sql, type OwnedRows, type PageArgs, type SqlFragment } from '@lapor-hub/lib';
import { groupBy } from '@lapor-hub/lib/database';
import type { NewEscalation } from './domain/escalation';
import { EscalationSchema, type Escalation, type EscalationStatus } from './entities/escalation';

/** Which end of an escalation a node's list follows. */
export type EscalationDirection = 'incoming' | 'outgoing';
const DIRECTION_COLUMN: Record<EscalationDirection, SqlFragment> = {
  incoming: sql.raw('to_agency_id'),
  outgoing: sql.raw('from_agency_id'),
};

export interface EscalationFilter {
  direction: EscalationDirection;
  status: EscalationStatus | null;
  /** Supervisory escalations only (true), none of them (false), or both (null): `domain/access.ts`, `supervisoryEscalationScope`. */
  supervisory: boolean | null;
}

/** The filter's conditions on `escalation.escalation e`, after a `where`. */
function filterSql(filter: EscalationFilter): SqlFragment {
  const status = filter.status ? sql` and e.status = ${filter.status}` : sql.empty;
  if (filter.supervisory === null) return status;
  return filter.supervisory ? sql`${status} and e.supervisory` : sql`${status} and not e.supervisory`;
}

/** Lists run newest first; the cursor is the row's (createdAt, id). */
export function escalationSortKey(escalation: Escalation): unknown[] {
  return [escalation.createdAt.toISOString(), escalation.id];
}

const SORT_KEY = [
  { column: 'e.created_at', type: 'timestamptz' },
  { column: 'e.id', type: 'uuid' },
] as const;

/** A node's escalations at one end: by the direction's column, with the filter's conditions. */
const listed = (filter: EscalationFilter): OwnedRows => ({
  table: sql`escalation.escalation e`,
  alias: 'e',
  owner: sql`e.${DIRECTION_COLUMN[filter.direction]}`,
  where: filterSql(filter),
  key: SORT_KEY,
});

/** Queries of escalations; each method is one SQL statement. */
export class EscalationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids that are not UUIDs cannot exist, so they are dropped rather than sent to a uuid column. */
  async findByIds(ids: readonly string[]): Promise<Escalation[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.em.find(EscalationSchema, { id: { $in: valid } });
  }

  /**
   * Runs `work` in a transaction of its own on the escalation's row, locked (`FOR UPDATE`) until it
   * commits, so that answers to one escalation never interleave. Nothing inside calls another
   * service: whatever the work needs from the directory or the complaints service is asked for
   * before the lock, so a slow or failing call never holds the row. An unknown id is `NOT_FOUND`.
   */
  async withLockedEscalation<T>(id: string, work: (escalation: Escalation, tx: EntityManager) => Promise<T>): Promise<T> {
    if (!isUuid(id)) throw new NotFoundError('Escalation', id);
    return this.em.fork().transactional(async (tx) => {
      const escalation = await tx.findOne(EscalationSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!escalation) throw new NotFoundError('Escalation', id);
      return work(escalation, tx);
    });
  }

  /** Every escalation of each complaint, oldest first, as `supervisory` scopes them (null: all). */
  async findByComplaintIds(complaintIds: readonly string[], { supervisory }: { supervisory: boolean | null }): Promise<Map<string, Escalation[]>> {
    const valid = complaintIds.filter(isUuid);
    if (valid.length === 0) return new Map();
    const scope = supervisory === null ? sql.empty : sql` and e.supervisory = ${supervisory}`;
    const rows = await execute(this.em, sql`select e.* from escalation.escalation e where e.complaint_id = any(${valid})${scope} order by e.created_at, e.id`, {
      keepPlan: true,
    });
    // Read-only (a page's escalations): plain rows, without the identity map's and snapshots' cost.
    return groupBy(readRows(this.em, EscalationSchema, rows), (escalation) => escalation.complaintId);
  }

  /** The same page of escalations for many agencies at once: one statement, an index walk per agency. */
  async pagesByAgency(agencyIds: string[], filter: EscalationFilter, page: PageArgs): Promise<Map<string, Escalation[]>> {
    const rows = await pagesPerOwner(this.em, listed(filter), agencyIds, page);
    const escalations = rows.map((row) => this.em.map(EscalationSchema, row));
    return groupBy(escalations, (escalation) => (filter.direction === 'incoming' ? escalation.toAgencyId : escalation.fromAgencyId));
  }

  countsByAgency(agencyIds: string[], filter: EscalationFilter): Promise<Map<string, number>> {
    return countsPerOwner(this.em, listed(filter), agencyIds);
  }

  /**
   * Inserts new escalations but none that repeats one a unique index forbids (the sweep's
   * SLA_BREACH of a deadline already escalated). Resolves to the new ones.
   */
  async insertUnlessPresent(escalations: readonly NewEscalation[]): Promise<Escalation[]> {
    if (escalations.length === 0) return [];
    const values = escalations.map(
      (row) =>
        sql`(${randomUUID()}, ${row.complaintId}, ${row.fromAgencyId}, ${row.toAgencyId}, ${row.supervisory}, ${row.reason}, 'OPEN', ${row.note},
             ${row.createdBy}, ${row.createdByRole}, ${row.createdAt}, ${row.respondDueAt}, ${row.breachedDueAt}, ${row.toHomeId}, ${sql.textArray(row.toPath)}, 1)`,
    );
    const inserted = await execute(
      this.em,
      sql`insert into escalation.escalation
            (id, complaint_id, from_agency_id, to_agency_id, supervisory, reason, status, note, created_by, created_by_role,
             created_at, respond_due_at, breached_due_at, to_home_id, to_path, version)
          values ${sql.join(values, ', ')}
          on conflict do nothing
          returning *`,
    );
    return inserted.map((row) => this.em.map(EscalationSchema, row));
  }

  /**
   * Marks up to `limit` open escalations whose answer deadline passed by `now` and was not yet
   * reported, and resolves to them. Rows another sweep is marking are skipped (SKIP LOCKED), and an
   * answer that commits first leaves its escalation no longer OPEN: each deadline is marked once.
   */
  async markOverdue(now: Date, limit: number): Promise<Escalation[]> {
    const rows = await execute(
      this.em,
      sql`update escalation.escalation e set overdue_reported_at = ${now}
          where e.id in (
            select id from escalation.escalation
            where status = 'OPEN' and overdue_reported_at is null and respond_due_at <= ${now}
            order by respond_due_at limit ${limit}
            for update skip locked)
          returning e.*`,
    );
    return rows.map((row) => this.em.map(EscalationSchema, row));
  }
}
