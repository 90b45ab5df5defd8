import { z } from 'zod';
import { lineText, optionalLineText, pageArgs, parseArguments, toConnection, type Connection, type Viewer } from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import { canReadComplaint, PUBLIC_LISTING, searchScope } from '../domain/access';
import { parseSearchQuery } from '../domain/search-query';
import { COMPLAINT_STATUSES, type Complaint } from '../entities/complaint';
import { searchSortKey, type ComplaintSearch, type SearchHit } from '../search-repository';

/** Longer than any title; a longer "query" is a paste, refused rather than searched. */
const MAX_QUERY_CHARACTERS = 200;

const regionCode = z
  .string()
  .trim()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'must be an official region code such as 52, 52.06, 52.06.01 or 52.06.01.2001')
  .nullish()
  .transform((value) => value ?? null);

const pageInput = { first: z.number().nullish(), after: z.string().nullish() };

const publicListingInput = z.object({
  search: optionalLineText(MAX_QUERY_CHARACTERS),
  regionCode,
  categoryId: optionalLineText(64),
  ...pageInput,
});

const searchInput = z.object({
  query: lineText(MAX_QUERY_CHARACTERS),
  agencyId: optionalLineText(100),
  status: z
    .enum(COMPLAINT_STATUSES)
    .nullish()
    .transform((value) => value ?? null),
  ...pageInput,
});

/**
 * One page of hits as a connection. Each hit is checked with `canReadComplaint` as well as by the
 * scope's SQL: should the two ever disagree, a page comes out short, never with a complaint the
 * caller may not read.
 */
async function page(
  context: ComplaintsContext,
  search: ComplaintSearch,
  args: { first?: number | null; after?: string | null },
  readAs: Viewer,
): Promise<Connection<Complaint>> {
  const paging = pageArgs(args);
  const { hits, total } = await context.search.search(search, paging);
  const readable = await Promise.all(hits.map(async (hit) => canReadComplaint(readAs, hit.complaint, await context.nodesOf(hit.complaint), false)));
  const shown = hits.filter((_, index) => readable[index]);
  const rankOf = new Map<Complaint, SearchHit>(hits.map((hit) => [hit.complaint, hit]));
  return toConnection(
    shown.map((hit) => hit.complaint),
    paging.first,
    (complaint) => searchSortKey(rankOf.get(complaint)!),
    () => (total === null ? context.search.count(search) : Promise.resolve(total)),
  );
}

const PUBLIC_VIEWER: Viewer = { kind: 'public' };

/** The public listing: the same for every caller (checked as the public reads it), never a confidential or supervisory complaint. */
export async function publicComplaints(context: ComplaintsContext, raw: unknown): Promise<Connection<Complaint>> {
  const input = parseArguments(publicListingInput, raw);
  const query = input.search === null ? null : parseSearchQuery(input.search);
  return page(context, { scope: PUBLIC_LISTING, query, status: null, regionCode: input.regionCode, categoryId: input.categoryId }, input, PUBLIC_VIEWER);
}

/** Full-text search within what the caller may read (`searchScope`). */
export async function searchComplaints(context: ComplaintsContext, raw: unknown): Promise<Connection<Complaint>> {
  const input = parseArguments(searchInput, raw);
  const { viewer } = context;
  const within = input.agencyId ?? (viewer.kind === 'officer' && viewer.role !== 'NATIONAL_ADMIN' ? viewer.agencyId : null);
  const node = viewer.kind === 'officer' && within ? await context.loaders.nodeById.load(within) : null;
  const scope = searchScope(viewer, node, input.agencyId);
  return page(context, { scope, query: parseSearchQuery(input.query), status: input.status, regionCode: null, categoryId: null }, input, viewer);
}
