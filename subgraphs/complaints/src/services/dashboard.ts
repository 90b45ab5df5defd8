import { BadUserInputError, homeNodeId } from '@lapor-hub/lib';
import { areaCodesExist } from '../area-codes';
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

const PROVINCE_OR_REGENCY = /^\d{2}(\.\d{2})?$/;
const DISTRICT = /^\d{2}\.\d{2}\.\d{2}$/;
const REGION_NODE_KINDS: ReadonlySet<string> = new Set(['PROVINCE', 'REGENCY', 'CITY']);

/**
 * The region figures are restricted to (`regionCode`), checked to be an official code: a province
 * or a regency/city (its node in the directory), and where `districts` a district too
 * (`idn-area-data`). Null or absent: no restriction.
 */
async function regionOf(context: ComplaintsContext, raw: string | null | undefined, districts: boolean): Promise<string | null> {
  if (raw === null || raw === undefined) return null;
  const code = raw.trim();
  const expected = districts ? 'a province, regency/city or district code such as 52, 52.06 or 52.06.01' : 'a province or regency/city code such as 52 or 52.06';
  if (PROVINCE_OR_REGENCY.test(code)) {
    const node = await context.loaders.nodeById.load(`region-${code}`);
    if (node && REGION_NODE_KINDS.has(node.kind)) return code;
  } else if (districts && DISTRICT.test(code) && areaCodesExist({ districtCode: code, villageCode: null }).district) {
    return code;
  }
  throw new BadUserInputError(`regionCode must be ${expected} of an official region`, 'regionCode');
}

// The national dashboard's three rankings, each of home nodes of these kinds.
const PROVINCE_KINDS = ['PROVINCE'] as const;
const REGENCY_AND_CITY_KINDS = ['REGENCY', 'CITY'] as const;
const MINISTRY_KINDS = ['MINISTRY'] as const;

const rate = (closed: number, forwarded: number) => (forwarded === 0 ? null : closed / forwarded);

const RATINGS = [1, 2, 3, 4, 5] as const;

/** Every rating value with its count, and their mean (null without ratings). */
export function ratingFigures(counts: Map<number, number>) {
  const ratings = RATINGS.map((rating) => ({ rating, count: counts.get(rating) ?? 0 }));
  const count = ratings.reduce((sum, row) => sum + row.count, 0);
  const averageRating = count === 0 ? null : ratings.reduce((sum, row) => sum + row.rating * row.count, 0) / count;
  return { averageRating, ratings };
}

async function statsFor(context: ComplaintsContext, scope: StatsScope, range: Period, region: string | null) {
  const [row, ratings] = await Promise.all([context.stats.stats(scope, range, new Date(), region), context.stats.ratings(scope, range, region)]);
  const whose = scope.kind === 'nation' ? 'nation' : `${scope.kind}:${scope.agencyId}`;
  return {
    scope: region === null ? whose : `${whose};region:${region}`,
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
    ...ratingFigures(ratings),
  };
}

export interface AgencyStatsArgs {
  agencyId: string;
  from: Date;
  to: Date;
  includeDescendants?: boolean | null;
  regionCode?: string | null;
}

export async function agencyStats(context: ComplaintsContext, { agencyId, ...args }: AgencyStatsArgs) {
  const node = await context.loaders.nodeById.load(agencyId);
  authorizeStats(context.viewer, node);
  const scope: StatsScope = args.includeDescendants
    ? { kind: 'subtree', agencyId, unit: node !== null && homeNodeId(node) !== node.id }
    : { kind: 'node', agencyId };
  const range = period(args.from, args.to);
  return statsFor(context, scope, range, await regionOf(context, args.regionCode, true));
}

export type HomeRatings = Map<string, { count: number; sum: number }>;

/**
 * Best completion rate first; among equals, the node that received more; then by id. Each row
 * also carries its place by average rating among the rated rows (higher first; among equals,
 * more ratings first; then by id).
 */
export function rank(rows: RankingRow[], ratings: HomeRatings = new Map()) {
  const rated = rows
    .map((row) => ({ agencyId: row.agencyId, ...(ratings.get(row.agencyId) ?? { count: 0, sum: 0 }) }))
    .filter((row) => row.count > 0)
    .sort((a, b) => b.sum / b.count - a.sum / a.count || b.count - a.count || a.agencyId.localeCompare(b.agencyId));
  const ratingRank = new Map(rated.map((row, index) => [row.agencyId, index + 1]));
  return [...rows]
    .map((row) => ({ ...row, completionRate: rate(row.closed, row.forwarded) }))
    .sort((a, b) => (b.completionRate ?? -1) - (a.completionRate ?? -1) || b.forwarded - a.forwarded || a.agencyId.localeCompare(b.agencyId))
    .map((row, index) => {
      const rating = ratings.get(row.agencyId);
      return {
        rank: index + 1,
        agency: { __typename: 'Agency', id: row.agencyId },
        forwarded: row.forwarded,
        closed: row.closed,
        completionRate: row.completionRate,
        averageRating: rating && rating.count > 0 ? rating.sum / rating.count : null,
        ratingCount: rating?.count ?? 0,
        ratingRank: ratingRank.get(row.agencyId) ?? null,
      };
    });
}

/**
 * The nation's figures and rankings, or with `regionCode` (a province or regency/city) those of
 * the complaints about that region: the nodes ranked are those holding such complaints.
 */
export async function nationalDashboard(context: ComplaintsContext, args: { from: Date; to: Date; regionCode?: string | null }) {
  authorizeNationalDashboard(context.viewer);
  const range = period(args.from, args.to);
  const region = await regionOf(context, args.regionCode, false);
  const kinds = [...PROVINCE_KINDS, ...REGENCY_AND_CITY_KINDS, ...MINISTRY_KINDS];
  const [stats, homes, ratings] = await Promise.all([
    statsFor(context, { kind: 'nation' }, range, region),
    context.stats.ranking(kinds, range, region),
    context.stats.ratingsByHome(kinds, range, region),
  ]);
  const ranked = (kinds: readonly string[]) => rank(homes.filter((home) => kinds.includes(home.agencyKind)), ratings);
  return { stats, provinces: ranked(PROVINCE_KINDS), regenciesAndCities: ranked(REGENCY_AND_CITY_KINDS), ministries: ranked(MINISTRY_KINDS) };
}
