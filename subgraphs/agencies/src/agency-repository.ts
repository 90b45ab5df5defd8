import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, keysetAfter, readRows, sql, type PageArgs, type SqlFragment } from '@lapor-hub/lib';
import { AgencySchema, type Agency, type AgencyKind } from './entities/agency';
import { CategorySchema, type Category } from './entities/category';

/** Filters of an agency listing; every listing is ordered by name, then id. */
export interface AgencyFilter {
  kind?: AgencyKind | null;
  search?: string | null;
}

export function agencySortKey(agency: Agency): unknown[] {
  return [agency.name, agency.id];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** SQL conditions shared by listings and their counts, each after an ` and`. */
function filterSql(filter: AgencyFilter): SqlFragment {
  const kind = filter.kind ? sql` and a.kind = ${filter.kind}` : sql.empty;
  if (!filter.search) return kind;
  const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
  return sql`${kind} and (lower(a.name) like ${pattern} or lower(coalesce(a.acronym, '')) like ${pattern})`;
}

function parentSql(parentId: string | null | undefined): SqlFragment {
  return parentId ? sql` and a.parent_id = ${parentId}` : sql.empty;
}

/**
 * Deeper than any real chain (national → province → regency → unit is four levels); it only stops
 * a walk up a corrupted tree from running forever.
 */
const MAX_TREE_DEPTH = 32;

/** Listings run by name, then id, ascending; the cursor is the row's (name, id). */
const SORT_KEY = [
  { column: 'a.name', type: 'text' },
  { column: 'a.id', type: 'text' },
] as const;

/**
 * Queries of the agency directory and the topic categories; each method is one SQL statement. The
 * directory is read as plain rows (`readRows`): no request changes an agency it read, and the
 * entities' identity map and snapshots cost more than the lookups themselves.
 */
export class AgencyRepository {
  constructor(private readonly em: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<Agency[]> {
    const rows = await execute(this.em, sql`select a.* from agencies.agency a where a.id = any(${[...ids]})`, { keepPlan: true });
    return readRows(this.em, AgencySchema, rows);
  }

  findByRegionCodes(codes: readonly string[]): Promise<Agency[]> {
    return this.em.find(AgencySchema, { regionCode: { $in: [...codes] } });
  }

  findCategoriesByIds(ids: readonly string[]): Promise<Category[]> {
    return this.em.find(CategorySchema, { id: { $in: [...ids] } });
  }

  /** Every topic category, by name. */
  categories(): Promise<Category[]> {
    return this.em.find(CategorySchema, {}, { orderBy: { name: 'asc' } });
  }

  /** One page (`first + 1` rows) of a listing, optionally restricted to one parent. */
  async page(filter: AgencyFilter & { parentId?: string | null }, page: PageArgs): Promise<Agency[]> {
    const rows = await execute(
      this.em,
      sql`select a.* from agencies.agency a
          where true${parentSql(filter.parentId)}${filterSql(filter)}${keysetAfter(page.after, SORT_KEY, '>')}
          order by a.name, a.id limit ${page.first + 1}`,
    );
    return readRows(this.em, AgencySchema, rows);
  }

  async count(filter: AgencyFilter & { parentId?: string | null }): Promise<number> {
    const [row] = await execute<{ count: number }>(
      this.em,
      sql`select count(*)::int as count from agencies.agency a where true${parentSql(filter.parentId)}${filterSql(filter)}`,
    );
    return row.count;
  }

  /** The same page of children for many parents at once (one statement, a window per parent). */
  async childrenPages(parentIds: string[], filter: AgencyFilter, page: PageArgs): Promise<Map<string, Agency[]>> {
    const rows = await execute(
      this.em,
      sql`select * from (
            select a.*, row_number() over (partition by a.parent_id order by a.name, a.id) as position
            from agencies.agency a where a.parent_id = any(${parentIds})${filterSql(filter)}${keysetAfter(page.after, SORT_KEY, '>')}
          ) ranked where position <= ${page.first + 1} order by parent_id, position`,
    );
    const pages = new Map<string, Agency[]>();
    for (const agency of readRows(this.em, AgencySchema, rows.map(({ position: _position, ...row }) => row))) {
      const siblings = pages.get(agency.parentId!) ?? [];
      siblings.push(agency);
      pages.set(agency.parentId!, siblings);
    }
    return pages;
  }

  async childrenCounts(parentIds: string[], filter: AgencyFilter): Promise<Map<string, number>> {
    const rows = await execute<{ parent_id: string; count: number }>(
      this.em,
      sql`select a.parent_id, count(*)::int as count from agencies.agency a where a.parent_id = any(${parentIds})${filterSql(filter)} group by a.parent_id`,
    );
    return new Map(rows.map((row) => [row.parent_id, row.count]));
  }

  /**
   * The chain above each node, parent first and the national node last (absent for the national
   * node and unknown ids): one recursive statement for the whole batch, walking `parent_id` up.
   */
  async ancestors(ids: readonly string[]): Promise<Map<string, Agency[]>> {
    const rows = await execute(
      this.em,
      sql`with recursive chain (descendant_id, ancestor_id, depth) as (
            select a.id, a.parent_id, 1 from agencies.agency a where a.id = any(${[...ids]}) and a.parent_id is not null
            union all
            select chain.descendant_id, above.parent_id, chain.depth + 1
            from chain join agencies.agency above on above.id = chain.ancestor_id
            where above.parent_id is not null and chain.depth < ${MAX_TREE_DEPTH}
          )
          select chain.descendant_id as chain_descendant_id, chain.depth as chain_depth, a.*
          from chain join agencies.agency a on a.id = chain.ancestor_id
          order by chain.descendant_id, chain.depth`,
    );
    const agencies = readRows(this.em, AgencySchema, rows.map(({ chain_descendant_id: _descendant, chain_depth: _depth, ...row }) => row));
    const chains = new Map<string, Agency[]>();
    rows.forEach((row, index) => {
      const chain = chains.get(row.chain_descendant_id as string) ?? [];
      chain.push(agencies[index]);
      chains.set(row.chain_descendant_id as string, chain);
    });
    return chains;
  }

  /** Units live in their parent's zone: realigns those whose parent's zone was corrected. */
  async alignUnitTimeZones(): Promise<void> {
    await execute(
      this.em,
      sql`update agencies.agency as unit set time_zone = parent.time_zone
          from agencies.agency as parent
          where unit.parent_id = parent.id and unit.kind = 'UNIT' and unit.time_zone <> parent.time_zone`,
    );
  }
}
