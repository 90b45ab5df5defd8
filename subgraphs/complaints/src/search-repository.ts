import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PAGE_SIZE, execute, keysetAfter, readRows, sql, type KeyColumn, type PageArgs, type SqlFragment } from '@lapor-hub/lib';
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
 * How close a known word must be to a query's word to stand in for it (`pg_trgm`'s word similarity;
 * its default, 0.6, misses one dropped letter in a short word: "jembtan" is 0.55 of "jembatan").
 * The word list's index finds the candidates by `%` (similarity above `pg_trgm`'s default 0.3,
 * which every such typo of the tests and the benchmark passes), then this picks among them.
 */
const TYPO_SIMILARITY = 0.5;

/**
 * How many known words, nearest first, may stand in for one word of a query. Names of places make
 * many near ties ("banjr": banjar, banjer, banjir); a typo's alternatives are or-ed, so a few
 * more cost the index little.
 */
const TYPO_ALTERNATIVES = 5;

/**
 * Typos are looked for only when the words as written match fewer complaints than a page: a
 * common word is not a typo, and correcting it would only blur the ranking.
 */
const TYPO_BELOW = DEFAULT_PAGE_SIZE;

/**
 * A search ranks the newest this many matching complaints, not every match: ranking is computed
 * per row, and a common word ("jalan") matches a tenth of a million complaints. Measured on 300,000
 * complaints of the benchmark's texts (a loaded 2-core machine): ranking every match took 0.6–1.2 s,
 * the newest 500 matches 36–157 ms. Older matches are reached with more words, a status or a node.
 */
export const SEARCH_WINDOW = 500;

const DAY_MS = 86_400_000;

/** `complaints.search_recency`'s keys (Migration20261202140000): a day is its number since the epoch, a month this. */
const monthKey = (year: number, month: number) => 1_000_000 + year * 12 + month;

/**
 * Where a search looks for its newest matches, newest slice first: the complaints under some of
 * the index's day or month keys (`keys`), submitted before `before`. The slices follow one another
 * without overlap, and the statement stops at the first ones that hold a window's worth, so a
 * common word reads a day or two of its matches, and a rare one all of them (few). The newest
 * slice takes tomorrow too: a process whose clock is a little behind the submitting one's.
 */
interface Slice {
  keys: number[] | null;
  before: Date | null;
}

function recencySlices(now: Date): Slice[] {
  const today = Math.floor(now.getTime() / DAY_MS);
  const days = (newest: number, oldest: number) => ({ keys: Array.from({ length: newest - oldest + 1 }, (_, index) => newest - index), before: null });
  const monthAgo = new Date((today - 31) * DAY_MS);
  const months = Array.from({ length: 12 }, (_, index) => new Date(Date.UTC(monthAgo.getUTCFullYear(), monthAgo.getUTCMonth() - index, 1)));
  return [
    days(today + 1, today),
    days(today - 1, today - 1),
    days(today - 2, today - 3),
    days(today - 4, today - 7),
    days(today - 8, today - 15),
    days(today - 16, today - 30),
    { keys: months.map((month) => monthKey(month.getUTCFullYear(), month.getUTCMonth())), before: new Date((today - 30) * DAY_MS) },
    { keys: null, before: months.at(-1)! },
  ];
}

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

function conditionsSql(search: ComplaintSearch): SqlFragment {
  const parts: SqlFragment[] = [scopeSql(search.scope)];
  if (search.status) parts.push(sql` and c.status = ${search.status}`);
  if (search.regionCode) parts.push(sql` and ${regionCondition(search.regionCode)}`);
  if (search.categoryId) parts.push(sql` and c.category_id = ${search.categoryId}`);
  return sql.join(parts, '');
}

/** A page of a search, and how many it can page through (known with the page for words only). */
export interface SearchPage {
  hits: SearchHit[];
  total: number | null;
}

/** The words as `websearch_to_tsquery` reads them, or a stored query with its typos replaced. */
type Match = { text: string } | { text: string; corrected: string; wanted: string };

function tsquery(match: Match): SqlFragment {
  return 'corrected' in match ? sql`${match.corrected}::tsquery` : sql`websearch_to_tsquery('indonesian', ${match.text})`;
}

/**
 * The words as written rank a complaint first; with typos, the alternatives add to it, and so
 * does how close the title is to the words wanted (the alternatives of a typo rank alike).
 */
function rankSql(match: Match): SqlFragment {
  const written = sql`ts_rank_cd(c.search_vector, websearch_to_tsquery('indonesian', ${match.text}))`;
  if (!('corrected' in match)) return sql`${written}::float8`;
  return sql`(${written} + ts_rank_cd(c.search_vector, ${match.corrected}::tsquery) + word_similarity(${match.wanted}, c.title))::float8`;
}

/**
 * The query again with each typo or any of its nearest known words (`search_word`), as text for
 * `::tsquery`; null when that changes nothing. A typo is a wanted word no complaint has: a known
 * word is taken as written (its near words would only add common ones: "jalan", "jalanan"). A
 * typo with no near word matches nothing: it is left out, as the other words may still find what
 * was meant ("perbaikan jalan"). The words as written stay an alternative of the whole, so that
 * nothing full text found is lost; an excluded word stays out.
 */
function correctedSql(query: SearchQuery): SqlFragment {
  const excluded = query.excluded === null ? sql.empty : sql` && !!websearch_to_tsquery('indonesian', ${query.excluded})`;
  return sql`(
    select (websearch_to_tsquery('indonesian', ${query.text}) || (complaints.all_of(x.alternatives) filter (where x.kept)${excluded}))::text
    from (
      select complaints.any_of(websearch_to_tsquery('indonesian', a.word)) as alternatives,
             bool_or(a.word <> q.word) as corrected, bool_or(a.word <> q.word or q.known) as kept
      from (
        select q.word, exists (select from complaints.search_word w where w.word = q.word) as known
        from unnest(tsvector_to_array(to_tsvector('simple', ${query.wanted}))) q(word)
      ) q
      cross join lateral (
        select q.word
        union
        (select w.word from complaints.search_word w
         where not q.known and w.word % q.word and word_similarity(q.word, w.word) >= ${TYPO_SIMILARITY}
         order by word_similarity(q.word, w.word) desc, similarity(q.word, w.word) desc, w.word limit ${TYPO_ALTERNATIVES})
      ) a(word)
      group by q.word
    ) x
    having bool_or(x.corrected or not x.kept)
  )`;
}

/**
 * Full-text search and the public listing. Words match title and body in the `indonesian`
 * configuration (the stored `search_vector`, Migration20261201150000); when they find fewer than
 * a page, each word may also be one of the known words nearest to it by trigrams (a typo).
 */
export class SearchRepository {
  constructor(private readonly em: EntityManager) {}

  async search(search: ComplaintSearch, page: PageArgs): Promise<SearchPage> {
    if (search.query === null) return { hits: await this.newest(search, page), total: null };
    const { query } = search;
    const found = await this.ranked(search, { text: query.text }, page, query.wanted === null ? null : correctedSql(query));
    if (query.wanted === null || found.total >= TYPO_BELOW || found.corrected === null) return found;
    return this.ranked(search, { text: query.text, corrected: found.corrected, wanted: query.wanted }, page, null);
  }

  /** The public listing without words: newest first. */
  private async newest(search: ComplaintSearch, page: PageArgs): Promise<SearchHit[]> {
    const after = keysetAfter(page.after, NEWEST_KEY, '<');
    const rows = await execute<Record<string, unknown>>(
      this.em,
      sql`select ${complaintColumns(this.em)} from complaints.complaint c where true${conditionsSql(search)}${after}
          order by c.submitted_at desc, c.id desc limit ${page.first + 1}`,
    );
    return readRows(this.em, ComplaintSchema, rows).map((complaint) => ({ complaint, rank: null }));
  }

  /**
   * The newest `SEARCH_WINDOW` matches, slice by slice (`recencySlices`), ranked: one page of them,
   * their number, and (`corrected`, given only while they are fewer than `TYPO_BELOW`) the query
   * with its typos' alternatives. The slices pick rows by their key and physical place (`ctid`,
   * within the statement's snapshot) only: the window ranks its rows and the page reads its own
   * whole rows by place, without sorting wide rows or reading the rest.
   */
  private async ranked(search: ComplaintSearch, match: Match, page: PageArgs, corrected: SqlFragment | null): Promise<SearchPage & { total: number; corrected: string | null }> {
    const conditions = sql`${conditionsSql(search)} and c.search_vector @@ ${tsquery(match)}`;
    const slices = recencySlices(new Date()).map(({ keys, before }) => {
      const older = before === null ? sql.empty : sql` and c.submitted_at < ${before}`;
      if (keys === null) {
        // The oldest slice has no key for the index to intersect with the words. Fenced
        // (`offset 0`), its rows come from the words' index whatever the plan: the statement is
        // prepared, and a plan kept for all values guesses a word's share of the rows (0.5%) and
        // would walk the submission-time index backwards instead, reading the whole table for a
        // rare word (0.5–1.3 s at a million complaints).
        return sql`(select s.* from (select c.ctid as place, c.submitted_at, c.id from complaints.complaint c where true${conditions}${older} offset 0) s
                    order by s.submitted_at desc, s.id desc limit ${SEARCH_WINDOW})`;
      }
      return sql`(select c.ctid as place, c.submitted_at, c.id from complaints.complaint c
                  where true${conditions} and complaints.search_recency(c.submitted_at) && ${keys}::int[]${older}
                  order by c.submitted_at desc, c.id desc limit ${SEARCH_WINDOW})`;
    });
    const typos = corrected === null ? sql`null::text` : sql`case when count(*) < ${TYPO_BELOW} then ${corrected} end`;
    const rows = await execute<Record<string, unknown>>(
      this.em,
      sql`with w as materialized (
            select s.place, s.submitted_at, s.id, ${rankSql(match)} as rank
            from (select * from (${sql.join(slices, ' union all ')}) s limit ${SEARCH_WINDOW}) s
            join complaints.complaint c on c.ctid = s.place
          )
          select t.total, t.corrected, p.rank, ${complaintColumns(this.em)}
          from (select count(*)::int as total, ${typos} as corrected from w) t
          left join lateral (
            select c.* from w c where true${keysetAfter(page.after, RANKED_KEY, '<')}
            order by c.rank desc, c.submitted_at desc, c.id desc limit ${page.first + 1}
          ) p on true
          left join complaints.complaint c on c.ctid = p.place
          order by p.rank desc, p.submitted_at desc, p.id desc`,
      // Planning the eight slices cost 2.5–3 ms of a search's ~8; each slice's plan is the index's
      // whatever the words (the oldest one fenced for it, above).
      { keepPlan: true },
    );
    const [{ total, corrected: alternatives }] = rows as { total: number; corrected: string | null }[];
    const found = rows.filter((row) => row.id !== null).map(({ total: _total, corrected: _corrected, ...row }) => row);
    const complaints = readRows(this.em, ComplaintSchema, found);
    return { hits: complaints.map((complaint, index) => ({ complaint, rank: Number(found[index].rank) })), total, corrected: alternatives };
  }

  /** How many the public listing without words can page through. */
  async count(search: ComplaintSearch): Promise<number> {
    const [row] = await execute<{ count: number }>(this.em, sql`select count(*)::int as count from complaints.complaint c where true${conditionsSql(search)}`);
    return row.count;
  }
}
