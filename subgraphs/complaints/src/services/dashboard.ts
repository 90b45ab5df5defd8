import { BadUserInputError, homeNodeId } from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import { authorizeNationalDashboard, authorizeStats } from '../domain/access';
import type { Period, RankingRow, StatsScope } from '../stats-repository';

/** The RPJMN 2020–2024 target for the completion rate. */
export const TARGET_COMPLETION_RATE = 0.9;
// A year and a day: long enough for annual reports, short enough to keep one query cheap.
const MAX_PERIOD_MS = 367 * 86_400_000;

function period(from: Date, to: Date): Period {
  if (to.getTime() <= from.getTime()) throw new BadUserInputError('to must be after from', 'to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw new BadUserInputError('the period may span at most a year', 'to');
  return { from, to };
}

// The national dashboard's three rankings, each of home nodes of these kinds.
const PROVINCE_KINDS = ['PROVINCE'] as const;
const REGENCY_AND_CITY_KINDS = ['REGENCY', 'CITY'] as const;
const MINISTRY_KINDS = ['MINISTRY'] as const;

const rate = (closed: number, forwarded: number) => (forwarded === 0 ? null : closed / forwarded);

async function statsFor(context: ComplaintsContext, scope: StatsScope, range: Period) {
  const row = await context.stats.stats(scope, range, new Date());
  return {
    scope: scope.kind === 'nation' ? 'nation' : `${scope.kind}:${scope.agencyId}`,
    from: range.from,
    to: range.to,
    total: row.total,
    byStatus: row.byStatus,
    forwarded: row.forwarded,
    closed: row.closed,
    completionRate: rate(row.closed, row.forwarded),
    targetCompletionRate: TARGET_COMPLETION_RATE,
    closedByReporter: row.closedByReporter,
    closedBySystem: row.closedBySystem,
    overdue: { verification: row.overdueVerification, followUp: row.overdueFollowUp },
    disputed: row.disputed,
    disputes: row.disputes,
    medianWorkingDaysToFollowUp: row.medianWorkingDaysToFollowUp,
  };
}

export interface AgencyStatsArgs {
  agencyId: string;
  from: Date;
  to: Date;
  includeDescendants?: boolean | null;
}

export async function agencyStats(context: ComplaintsContext, { agencyId, ...args }: AgencyStatsArgs) {
  const node = await context.loaders.nodeById.load(agencyId);
  authorizeStats(context.viewer, node);
  const scope: StatsScope = args.includeDescendants
    ? { kind: 'subtree', agencyId, unit: node !== null && homeNodeId(node) !== node.id }
    : { kind: 'node', agencyId };
  return statsFor(context, scope, period(args.from, args.to));
}

/** Best completion rate first; among equals, the node that received more; then by id. */
export function rank(rows: RankingRow[]) {
  return [...rows]
    .map((row) => ({ ...row, completionRate: rate(row.closed, row.forwarded) }))
    .sort((a, b) => (b.completionRate ?? -1) - (a.completionRate ?? -1) || b.forwarded - a.forwarded || a.agencyId.localeCompare(b.agencyId))
    .map((row, index) => ({ rank: index + 1, agency: { __typename: 'Agency', id: row.agencyId }, forwarded: row.forwarded, closed: row.closed, completionRate: row.completionRate }));
}

export async function nationalDashboard(context: ComplaintsContext, args: { from: Date; to: Date }) {
  authorizeNationalDashboard(context.viewer);
  const range = period(args.from, args.to);
  const [stats, homes] = await Promise.all([
    statsFor(context, { kind: 'nation' }, range),
    context.stats.ranking([...PROVINCE_KINDS, ...REGENCY_AND_CITY_KINDS, ...MINISTRY_KINDS], range),
  ]);
  const ranked = (kinds: readonly string[]) => rank(homes.filter((home) => kinds.includes(home.agencyKind)));
  return { stats, provinces: ranked(PROVINCE_KINDS), regenciesAndCities: ranked(REGENCY_AND_CITY_KINDS), ministries: ranked(MINISTRY_KINDS) };
}
