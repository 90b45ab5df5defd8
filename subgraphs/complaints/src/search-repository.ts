import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, keysetAfter, sql, type KeyColumn, type PageArgs, type SqlFragment } from '@lapor-hub/lib';
import { complaintColumns } from './complaint-repository';
import type { ReadScope } from './domain/access';
import type { SearchQuery } from './domain/search-query';
import { ComplaintSchema, type Complaint, type ComplaintStatus } from './entities/complaint';

export interface ComplaintSearch {
  scope: ReadScope;
  /** Words to match (any content: `websearch_to_tsquery` never fails on syntax), or null for the newest first. */
  query: SearchQuery | null;
  status: ComplaintStatus | null;
  /** A province, regency/city, district or village code. */
  regionCode: string | null;
  categoryId: string | null;
}

/** A complaint found, with its relevance (null in a listing without words). */
export interface SearchHit {
  complaint: Complaint;
  rank: number | null;
}

/** A listing runs newest first; a search best match first, then newest first. */
export function searchSortKey(hit: SearchHit): unknown[] {
  const position = [hit.complaint.submittedAt.toISOString(), hit.complaint.id];
  return hit.rank === null ? position : [hit.rank, ...position];
}

const NEWEST_KEY: readonly KeyColumn[] = [
  { column: 'c.submitted_at', type: 'timestamptz' },
  { column: 'c.id', type: 'uuid' },
];
const RANKED_KEY: readonly KeyColumn[] = [{ column: 'c.rank', type: 'float8' }, ...NEWEST_KEY];

/**
 * How close a title must be, word for word, to count as the query with typos (`pg_trgm`'s word
 * similarity; its default, 0.6, misses one dropped letter in a short word: "jembtan" is 0.55 of
 * "jembatan").
 */
const TYPO_SIMILARITY = 0.5;

/**
 * A search ranks the newest this many matching complaints, not every match: ranking is computed
 * per row, and a common word ("jalan") matches a tenth of a million complaints. Measured on 300,000
 * complaints of the benchmark's texts (a loaded 2-core machine): ranking every match took 0.6–1.2 s,
 * the newest 500 matches 36–157 ms, found by walking the complaints newest first (a rare word is
 * found through the GIN indexes instead). Older matches are reached with more words, a status
 * or a node.
 */
export const SEARCH_WINDOW = 500;

/**
 * Complaints about a place: a province or regency/city by `region_code` (a province's complaints
 * are those of its regencies and cities, and those naming the province itself), a district or a
 * village by its own column. `alias` names the complaints table.
 */
export function regionCondition(code: string, alias = 'c'): SqlFragment {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  switch (code.split('.').length) {
    case 3:
      return sql`${column('district_code')} = ${code}`;
    case 4:
      return sql`${column('village_code')} = ${code}`;
    default:
      return sql`(${column('region_code')} = ${code} or ${column('region_code')} like ${`${code}.%`})`;
  }
}

/** `scope` as conditions on the complaints `c` (see `ReadScope`). */
function scopeSql(scope: ReadScope): SqlFragment {
  const parts: SqlFragment[] = [];
  if (scope.publicOnly) parts.push(sql` and not c.confidential and not c.supervisory`);
  if (scope.heldWithin !== null) parts.push(sql` and c.holder_path @> ${sql.textArray([scope.heldWithin])}`);
  if (scope.officerNode !== null) {
    parts.push(sql` and c.holder_path @> ${sql.textArray([scope.officerNode])}`);
    if (scope.unforwardedFromAboveOnly) {
      parts.push(sql` and (c.assigned_agency_id is not null or (c.addressed_agency_id <> ${scope.officerNode} and c.holder_home_id <> ${scope.officerNode}))`);
    }
  }
  if (scope.supervisory !== null) parts.push(scope.supervisory ? sql` and c.supervisory` : sql` and not c.supervisory`);
  return sql.join(parts, '');
}

/** The words as full text, or the wanted words as the title with typos, without an excluded word. */
function matchSql(query: SearchQuery): SqlFragment {
  const words = sql`c.search_vector @@ websearch_to_tsquery('indonesian', ${query.text})`;
  if (query.wanted === null) return words;
  const excluded = query.excluded === null ? sql.empty : sql` and not c.search_vector @@ websearch_to_tsquery('indonesian', ${query.excluded})`;
  return sql`(${words} or (${query.wanted} <% c.title${excluded}))`;
}

function rankSql(query: SearchQuery | null): SqlFragment {
  if (query === null) return sql`null::float8`;
  const words = sql`ts_rank_cd(c.search_vector, websearch_to_tsquery('indonesian', ${query.text}))::float8`;
  return query.wanted === null ? words : sql`${words} + word_similarity(${query.wanted}, c.title)::float8`;
}

function conditionsSql(search: ComplaintSearch): SqlFragment {
  const parts: SqlFragment[] = [scopeSql(search.scope)];
  if (search.query !== null) parts.push(sql` and ${matchSql(search.query)}`);
  if (search.status) parts.push(sql` and c.status = ${search.status}`);
  if (search.regionCode) parts.push(sql` and ${regionCondition(search.regionCode)}`);
  if (search.categoryId) parts.push(sql` and c.category_id = ${search.categoryId}`);
  return sql.join(parts, '');
}

/**
 * Full-text search and the public listing. Words match title and body in the `indonesian`
 * configuration (the stored `search_vector`, Migration20261201150000), or the title by trigram
 * word similarity (typos); the rank adds the two.
 */
export class SearchRepository {
  constructor(private readonly em: EntityManager) {}

  async search(search: ComplaintSearch, page: PageArgs): Promise<SearchHit[]> {
    const columns = complaintColumns(this.em);
    const ranked = search.query !== null;
    const order = sql.raw(ranked ? 'c.rank desc, c.submitted_at desc, c.id desc' : 'c.submitted_at desc, c.id desc');
    const after = keysetAfter(page.after, ranked ? RANKED_KEY : NEWEST_KEY, '<');
    // The rank is computed in the window's own projection: for the rows it keeps only.
    const window = ranked ? sql` order by c.submitted_at desc, c.id desc limit ${SEARCH_WINDOW}` : sql.empty;
    const rows = await this.withTypoThreshold((em) =>
      execute<Record<string, unknown>>(
        em,
        sql`select * from (
          select ${columns}, ${rankSql(search.query)} as rank from complaints.complaint c where true${conditionsSql(search)}${window}
        ) c where true${after} order by ${order} limit ${page.first + 1}`,
      ),
    );
    return rows.map(({ rank: found, ...row }) => ({ complaint: this.em.map(ComplaintSchema, row), rank: found === null ? null : Number(found) }));
  }

  /** How many a search can page through: its matches, at most `SEARCH_WINDOW` of them. */
  async count(search: ComplaintSearch): Promise<number> {
    const window = search.query !== null ? sql` limit ${SEARCH_WINDOW}` : sql.empty;
    const [row] = await this.withTypoThreshold((em) =>
      execute<{ count: number }>(em, sql`select count(*)::int as count from (select 1 from complaints.complaint c where true${conditionsSql(search)}${window}) x`),
    );
    return row.count;
  }

  /** The trigram threshold is a setting: set for the statement's own transaction only. */
  private withTypoThreshold<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(async (tx) => {
      await execute(tx, sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`);
      return work(tx);
    });
  }
}
