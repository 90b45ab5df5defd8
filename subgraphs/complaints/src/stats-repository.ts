import type { EntityManager } from '@mikro-orm/postgresql';
import type { ComplaintStatus } from './entities/complaint';

/** Whose complaints: one node (with its units), a node and everything below it, or the nation. */
export type StatsScope = { kind: 'node'; agencyId: string } | { kind: 'subtree'; agencyId: string } | { kind: 'nation' };

export interface Period {
  from: Date;
  to: Date;
}

export interface StatsRow {
  total: number;
  forwarded: number;
  closed: number;
  closedByReporter: number;
  closedBySystem: number;
  overdueVerification: number;
  overdueFollowUp: number;
  disputed: number;
  disputes: number;
  medianWorkingDaysToFollowUp: number | null;
}

export interface RankingRow {
  agencyId: string;
  forwarded: number;
  closed: number;
}

/**
 * Collects positional parameters in the order a template literal interpolates them, so that each
 * `${bind(value)}` becomes a `?` matched to its value.
 */
function binder(): { bind: (value: unknown) => string; params: unknown[] } {
  const params: unknown[] = [];
  return {
    params,
    bind: (value) => {
      params.push(value);
      return '?';
    },
  };
}

function scopeSql(scope: StatsScope, bind: (value: unknown) => string): string {
  switch (scope.kind) {
    case 'node':
      return `c.holder_home_id = ${bind(scope.agencyId)}`;
    case 'subtree':
      return `c.holder_path @> array[${bind(scope.agencyId)}]::text[]`;
    case 'nation':
      return 'true';
  }
}

/**
 * The dashboard's figures, each an aggregate in SQL over indexed columns (never rows in Node).
 * A complaint counts where it is held now: the node it was forwarded to, else the addressed one.
 */
export class StatsRepository {
  constructor(private readonly em: EntityManager) {}

  async stats(scope: StatsScope, period: Period, now: Date): Promise<StatsRow> {
    const { bind, params } = binder();
    const inPeriod = (column: string) => `c.${column} >= ${bind(period.from)} and c.${column} < ${bind(period.to)}`;
    const [row] = await this.em.execute(
      `select
        count(*) filter (where ${inPeriod('submitted_at')})::int as total,
        count(*) filter (where ${inPeriod('forwarded_at')})::int as forwarded,
        count(*) filter (where ${inPeriod('forwarded_at')} and c.status = 'CLOSED')::int as closed,
        count(*) filter (where ${inPeriod('forwarded_at')} and c.closed_by = 'REPORTER')::int as closed_by_reporter,
        count(*) filter (where ${inPeriod('forwarded_at')} and c.closed_by = 'SYSTEM')::int as closed_by_system,
        count(*) filter (where c.status in ('SUBMITTED', 'VERIFIED') and c.current_due_at < ${bind(now)})::int as overdue_verification,
        count(*) filter (where c.status = 'FORWARDED' and c.current_due_at < ${bind(now)})::int as overdue_follow_up,
        count(*) filter (where ${inPeriod('forwarded_at')} and c.dispute_count > 0)::int as disputed,
        coalesce(sum(c.dispute_count) filter (where ${inPeriod('forwarded_at')}), 0)::int as disputes,
        percentile_cont(0.5) within group (order by c.follow_up_working_days)
          filter (where ${inPeriod('followed_up_at')}) as median_working_days
      from complaints.complaint c where ${scopeSql(scope, bind)}`,
      params,
    );
    return {
      total: row.total,
      forwarded: row.forwarded,
      closed: row.closed,
      closedByReporter: row.closed_by_reporter,
      closedBySystem: row.closed_by_system,
      overdueVerification: row.overdue_verification,
      overdueFollowUp: row.overdue_follow_up,
      disputed: row.disputed,
      disputes: row.disputes,
      medianWorkingDaysToFollowUp: row.median_working_days === null ? null : Number(row.median_working_days),
    };
  }

  /** Complaints submitted in the period that the scope holds, by status. */
  async byStatus(scope: StatsScope, period: Period): Promise<{ status: ComplaintStatus; count: number }[]> {
    const { bind, params } = binder();
    return this.em.execute(
      `select c.status, count(*)::int as count from complaints.complaint c
       where ${scopeSql(scope, bind)} and c.submitted_at >= ${bind(period.from)} and c.submitted_at < ${bind(period.to)}
       group by c.status order by c.status`,
      params,
    );
  }

  /** Received and closed per home node of the given kinds, for the rankings. */
  async ranking(kinds: string[], period: Period): Promise<RankingRow[]> {
    const rows = await this.em.execute<{ agency_id: string; forwarded: number; closed: number }[]>(
      `select c.holder_home_id as agency_id, count(*)::int as forwarded, count(*) filter (where c.status = 'CLOSED')::int as closed
       from complaints.complaint c
       where c.holder_home_kind in (?) and c.forwarded_at >= ? and c.forwarded_at < ?
       group by c.holder_home_id`,
      [kinds, period.from, period.to],
    );
    return rows.map((row) => ({ agencyId: row.agency_id, forwarded: row.forwarded, closed: row.closed }));
  }
}
