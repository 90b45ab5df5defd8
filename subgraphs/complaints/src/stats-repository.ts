import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql, type SqlFragment } from '@lapor-hub/lib';
import { COMPLAINT_STATUSES, type ComplaintStatus } from './entities/complaint';
import { regionCondition } from './search-repository';

/**
 * Whose complaints: one node (with its units), a node and everything below it, or the nation. A
 * unit is no home node, so the tallies do not key it: its subtree (what it holds) is read from the
 * complaints themselves.
 */
export type StatsScope = { kind: 'node'; agencyId: string } | { kind: 'subtree'; agencyId: string; unit: boolean } | { kind: 'nation' };

export interface Period {
  from: Date;
  to: Date;
}

export interface StatsRow {
  total: number;
  byStatus: { status: ComplaintStatus; count: number }[];
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
  agencyKind: string;
  forwarded: number;
  closed: number;
}

/** Part of a period read from the complaints, added to (or taken from) the tallies' whole months. */
interface Slice {
  from: Date;
  to: Date;
  sign: 1 | -1;
}

/** A period as whole UTC months of the tallies (`YYYY-MM-DD`, end exclusive), corrected by slices at its edges. */
export interface PeriodPlan {
  months: { from: string; to: string } | null;
  slices: Slice[];
}

const monthStart = (at: number) => Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), 1);
const nextMonthStart = (at: number) => Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth() + 1, 1);
const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The period read from the complaints alone. */
const fromComplaintsOnly = ({ from, to }: Period): PeriodPlan => ({ months: null, slices: [{ from, to, sign: 1 }] });

/**
 * Reads a period from the tallies and as few complaints as possible: an edge that cuts through a
 * month is either the part inside the period, added to the whole months after it, or that month
 * whole less the part outside, whichever part is shorter. A period ending now thus reads the
 * current month's tally less the (empty) rest of the month. A period shorter than its edges is
 * read from the complaints alone.
 */
export function planPeriod({ from, to }: Period): PeriodPlan {
  const slices: Slice[] = [];
  const start = from.getTime();
  const end = to.getTime();
  let monthsFrom = monthStart(start);
  if (monthsFrom !== start) {
    const after = nextMonthStart(start);
    if (after - start <= start - monthsFrom) {
      slices.push({ from, to: new Date(after), sign: 1 });
      monthsFrom = after;
    } else {
      slices.push({ from: new Date(monthsFrom), to: from, sign: -1 });
    }
  }
  let monthsTo = monthStart(end);
  if (monthsTo !== end) {
    const after = nextMonthStart(end);
    if (end - monthsTo <= after - end) {
      slices.push({ from: new Date(monthsTo), to, sign: 1 });
    } else {
      slices.push({ from: to, to: new Date(after), sign: -1 });
      monthsTo = after;
    }
  }
  // Without a whole month in between, the slices span at least the period itself. (Both edges
  // in one month never both take their inside part: that would need from > to.)
  if (slices.reduce((span, slice) => span + slice.to.getTime() - slice.from.getTime(), 0) >= end - start) return fromComplaintsOnly({ from, to });
  return { months: { from: isoDate(monthsFrom), to: isoDate(monthsTo) }, slices };
}

/**
 * The plan of a scope's period: the tallies count by home node and month, not by place, so figures
 * restricted to the complaints about a region (`region`) are read from the complaints alone, as
 * are a unit's subtree's.
 */
function planFor(scope: StatsScope, period: Period, region: string | null): PeriodPlan {
  return region !== null || (scope.kind === 'subtree' && scope.unit) ? fromComplaintsOnly(period) : planPeriod(period);
}

/** The complaints `c` about `region` (all when null). */
const aboutRegion = (region: string | null): SqlFragment => (region === null ? sql`true` : regionCondition(region));

/** The ratings `c` of complaints about `region` (all when null): a rating keeps no place of its own. */
const ratedAboutRegion = (region: string | null): SqlFragment =>
  region === null ? sql`true` : sql`exists (select 1 from complaints.complaint rc where rc.id = c.complaint_id and ${regionCondition(region, 'rc')})`;

/** Where a table keeps a row's home node and its path (the path from the row's holder or home up). */
interface ScopeColumns {
  home: SqlFragment;
  path: SqlFragment;
}
/** The complaints `c`: `holder_path` starts with the holder itself, a unit included. */
const COMPLAINT_SCOPE: ScopeColumns = { home: sql.raw('c.holder_home_id'), path: sql.raw('c.holder_path') };
/** A home tally `t`. */
const TALLY_SCOPE: ScopeColumns = { home: sql.raw('t.home_id'), path: sql.raw('t.home_path') };

function scopeOn(columns: ScopeColumns, scope: StatsScope): SqlFragment {
  switch (scope.kind) {
    case 'node':
      return sql`${columns.home} = ${scope.agencyId}`;
    case 'subtree':
      return sql`${columns.path} @> array[${scope.agencyId}]::text[]`;
    case 'nation':
      return sql`true`;
  }
}

/** The rows of an edge slice's aggregate, signed, given the condition that a date lies in the slice. */
type SliceSql = (sign: SqlFragment, inSlice: (column: string) => SqlFragment) => SqlFragment;

/**
 * Figures over the period as rows to be summed: the tally `t`'s whole months, then each edge
 * slice aggregated from the complaints `c` by each of `slices` (one per date the figures count by).
 */
function overPeriod(plan: PeriodPlan, tally: (inMonths: SqlFragment) => SqlFragment, ...slices: SliceSql[]): SqlFragment {
  const parts: SqlFragment[] = [];
  if (plan.months) parts.push(tally(sql`t.month >= ${plan.months.from}::date and t.month < ${plan.months.to}::date`));
  for (const slice of slices) {
    for (const { from, to, sign } of plan.slices) {
      parts.push(slice(sql.raw(String(sign)), (name) => {
        const column = sql.raw(`c.${name}`);
        return sql`${column} >= ${from} and ${column} < ${to}`;
      }));
    }
  }
  return sql.join(parts, ' union all ');
}

const STATUS_COLUMNS = COMPLAINT_STATUSES.map((status) => ({ status, column: `status_${status.toLowerCase()}` }));
const MONTH_FIGURES = [...STATUS_COLUMNS.map(({ column }) => column), 'forwarded', 'closed', 'closed_by_reporter', 'closed_by_system', 'disputed', 'disputes'];

/**
 * The dashboard's figures, each an aggregate in SQL (never rows in Node): the whole months of a
 * period from the tallies the complaint triggers keep (see Migration20261124070000), its edges
 * from the complaints through covering indexes. A complaint counts where it is held now: the node
 * it was forwarded to, else the addressed one. Every figure may be restricted to the complaints
 * about a region (`region`: a province, regency/city or district code), then read from the
 * complaints alone, still one statement per figure set.
 */
export class StatsRepository {
  constructor(private readonly em: EntityManager) {}

  async stats(scope: StatsScope, period: Period, now: Date, region: string | null = null): Promise<StatsRow> {
    const plan = planFor(scope, period, region);
    const inScope = sql`${scopeOn(COMPLAINT_SCOPE, scope)} and ${aboutRegion(region)}`;
    const overdue = (statuses: SqlFragment) => sql`(select count(*) from complaints.complaint c
      where c.status in (${statuses}) and c.current_due_at < ${now} and ${inScope})::int`;
    // By the month submitted, the statuses; by the month received, the holder's outcomes.
    const noOutcomes = sql.raw('0, 0, 0, 0, 0, 0');
    const noStatuses = sql.raw(STATUS_COLUMNS.map(() => '0').join(', '));
    const tallyStatuses = sql.raw(STATUS_COLUMNS.map(({ column }) => `t.${column}`).join(', '));
    const countByStatus = (sign: SqlFragment) =>
      sql.join(STATUS_COLUMNS.map(({ status }) => sql`${sign} * count(*) filter (where c.status = ${sql.raw(`'${status}'`)})`), ', ');
    const monthFigures = overPeriod(
      plan,
      (inMonths) => sql`select ${tallyStatuses},
          t.forwarded, t.closed, t.closed_by_reporter, t.closed_by_system, t.disputed, t.disputes
        from complaints.home_month_tally t where ${inMonths} and ${scopeOn(TALLY_SCOPE, scope)}`,
      (sign, inSlice) => sql`select ${countByStatus(sign)}, ${noOutcomes}
        from complaints.complaint c where ${inSlice('submitted_at')} and ${inScope}`,
      (sign, inSlice) => sql`select ${noStatuses}, ${sign} * count(*), ${sign} * count(*) filter (where c.status = 'CLOSED'),
          ${sign} * count(*) filter (where c.closed_by = 'REPORTER'), ${sign} * count(*) filter (where c.closed_by = 'SYSTEM'),
          ${sign} * count(*) filter (where c.dispute_count > 0), ${sign} * coalesce(sum(c.dispute_count), 0)
        from complaints.complaint c where ${inSlice('forwarded_at')} and ${inScope}`,
    );
    const followUps = overPeriod(
      plan,
      (inMonths) =>
        scope.kind === 'nation'
          ? sql`select t.working_days, t.complaints from complaints.nation_follow_up_tally t where ${inMonths}`
          : sql`select t.working_days, t.complaints from complaints.home_follow_up_tally t where ${inMonths} and ${scopeOn(TALLY_SCOPE, scope)}`,
      (sign, inSlice) => sql`select c.follow_up_working_days, ${sign} * count(*) from complaints.complaint c
        where ${inSlice('followed_up_at')} and c.follow_up_working_days is not null and ${inScope}
        group by c.follow_up_working_days`,
    );
    const sums = sql.raw(MONTH_FIGURES.map((figure) => `coalesce(sum(${figure}), 0)::int as ${figure}`).join(', '));
    const figureNames = sql.raw(MONTH_FIGURES.join(', '));
    // The median of a histogram as percentile_cont(0.5) takes it: the mean of the values at the
    // two middle positions (one position when the count is odd), each the first value whose
    // running count passes it.
    const [row] = await execute<Record<string, number | null>>(
      this.em,
      sql`select ${overdue(sql.raw(`'SUBMITTED', 'VERIFIED'`))} as overdue_verification, ${overdue(sql.raw(`'FORWARDED'`))} as overdue_follow_up, f.*, m.*
       from (select ${sums}
             from (${monthFigures}) as x(${figureNames})) f,
            (select (min(working_days) filter (where (n - 1) / 2 < below + complaints)
                     + min(working_days) filter (where n / 2 < below + complaints))::float8 / 2 as median_working_days
             from (select working_days, complaints, (sum(complaints) over (order by working_days))::bigint - complaints as below,
                          (sum(complaints) over ())::bigint as n
                   from (select working_days, sum(complaints)::bigint as complaints from (${followUps}) as x(working_days, complaints)
                         group by working_days having sum(complaints) <> 0) histogram) ranked) m`,
    );
    const figure = (name: string) => row[name] as number;
    const byStatus = STATUS_COLUMNS.filter(({ column }) => figure(column) > 0)
      .map(({ status, column }) => ({ status, count: figure(column) }))
      .sort((a, b) => a.status.localeCompare(b.status));
    return {
      total: byStatus.reduce((sum, { count }) => sum + count, 0),
      byStatus,
      forwarded: figure('forwarded'),
      closed: figure('closed'),
      closedByReporter: figure('closed_by_reporter'),
      closedBySystem: figure('closed_by_system'),
      overdueVerification: figure('overdue_verification'),
      overdueFollowUp: figure('overdue_follow_up'),
      disputed: figure('disputed'),
      disputes: figure('disputes'),
      medianWorkingDaysToFollowUp: row.median_working_days === null ? null : Number(row.median_working_days),
    };
  }

  /** How many ratings of each value (1–5) the scope's follow-ups were given in the period. */
  async ratings(scope: StatsScope, period: Period, region: string | null = null): Promise<Map<number, number>> {
    const rows = overPeriod(
      planFor(scope, period, region),
      (inMonths) => sql`select t.rating, t.ratings from complaints.rating_month_tally t where ${inMonths} and ${scopeOn(TALLY_SCOPE, scope)}`,
      // The ratings `c` keep the holder's columns under the complaint's names.
      (sign, inSlice) => sql`select c.rating, ${sign} * count(*) from complaints.rating c
        where ${inSlice('rated_at')} and ${scopeOn(COMPLAINT_SCOPE, scope)} and ${ratedAboutRegion(region)} group by c.rating`,
    );
    const result = await execute<{ rating: number; ratings: number }>(
      this.em,
      sql`select rating, sum(ratings)::int as ratings from (${rows}) as x(rating, ratings) group by rating having sum(ratings) <> 0`,
    );
    return new Map(result.map((row) => [row.rating, row.ratings]));
  }

  /** How many ratings, and their sum, per home node of the given kinds, for the rankings. */
  async ratingsByHome(kinds: string[], period: Period, region: string | null = null): Promise<Map<string, { count: number; sum: number }>> {
    const rows = overPeriod(
      planFor({ kind: 'nation' }, period, region),
      (inMonths) => sql`select t.home_id, t.rating, t.ratings from complaints.rating_month_tally t where ${inMonths} and t.home_kind = any(${kinds})`,
      (sign, inSlice) => sql`select c.holder_home_id, c.rating, ${sign} * count(*) from complaints.rating c
        where ${inSlice('rated_at')} and c.holder_home_kind = any(${kinds}) and ${ratedAboutRegion(region)} group by c.holder_home_id, c.rating`,
    );
    const result = await execute<{ home_id: string; count: number; sum: number }>(
      this.em,
      sql`select home_id, sum(ratings)::int as count, sum(rating * ratings)::int as sum
       from (${rows}) as x(home_id, rating, ratings) group by home_id having sum(ratings) <> 0`,
    );
    return new Map(result.map((row) => [row.home_id, { count: row.count, sum: row.sum }]));
  }

  /** Received and closed per home node of the given kinds, for the rankings. */
  async ranking(kinds: string[], period: Period, region: string | null = null): Promise<RankingRow[]> {
    const rows = overPeriod(
      planFor({ kind: 'nation' }, period, region),
      (inMonths) => sql`select t.home_id, t.home_kind, t.forwarded, t.closed from complaints.home_month_tally t
        where ${inMonths} and t.home_kind = any(${kinds})`,
      (sign, inSlice) => sql`select c.holder_home_id, c.holder_home_kind, ${sign} * count(*), ${sign} * count(*) filter (where c.status = 'CLOSED')
        from complaints.complaint c where ${inSlice('forwarded_at')} and c.holder_home_kind = any(${kinds}) and ${aboutRegion(region)}
        group by c.holder_home_id, c.holder_home_kind`,
    );
    const result = await execute<{ agency_id: string; agency_kind: string; forwarded: number; closed: number }>(
      this.em,
      sql`select home_id as agency_id, home_kind as agency_kind, sum(forwarded)::int as forwarded, sum(closed)::int as closed
       from (${rows}) as x(home_id, home_kind, forwarded, closed)
       group by home_id, home_kind having sum(forwarded) <> 0`,
    );
    return result.map((row) => ({ agencyId: row.agency_id, agencyKind: row.agency_kind, forwarded: row.forwarded, closed: row.closed }));
  }
}
