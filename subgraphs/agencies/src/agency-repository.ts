import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageArgs } from '@lapor-hub/lib';
import { Agency, type AgencyKind } from './entities/agency';

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

/** SQL conditions (with their bindings) shared by listings and their counts. */
function filterSql(filter: AgencyFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.kind) {
    clauses.push('a.kind = ?');
    params.push(filter.kind);
  }
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    clauses.push(`(lower(a.name) like ? or lower(coalesce(a.acronym, '')) like ?)`);
    params.push(pattern, pattern);
  }
  return { sql: clauses.map((clause) => ` and ${clause}`).join(''), params };
}

/**
 * Deeper than any real chain (national → province → regency → unit is four levels); it only stops
 * a walk up a corrupted tree from running forever.
 */
const MAX_TREE_DEPTH = 32;

function afterSql(after: unknown[] | null): { sql: string; params: unknown[] } {
  if (!after) return { sql: '', params: [] };
  return { sql: ' and (a.name, a.id) > (?, ?)', params: [String(after[0]), String(after[1])] };
}

/** Queries of the agency directory; each method is one SQL statement. */
export class AgencyRepository {
  constructor(private readonly em: EntityManager) {}

  findByIds(ids: readonly string[]): Promise<Agency[]> {
    return this.em.find(Agency, { id: { $in: [...ids] } });
  }

  findByRegionCodes(codes: readonly string[]): Promise<Agency[]> {
    return this.em.find(Agency, { regionCode: { $in: [...codes] } });
  }

  /** One page (`first + 1` rows) of a listing, optionally restricted to one parent. */
  async page(filter: AgencyFilter & { parentId?: string | null }, page: PageArgs): Promise<Agency[]> {
    const where = filterSql(filter);
    const after = afterSql(page.after);
    const parent = filter.parentId ? { sql: ' and a.parent_id = ?', params: [filter.parentId] } : { sql: '', params: [] };
    const rows = await this.em.execute(
      `select a.* from agencies.agency a where true${parent.sql}${where.sql}${after.sql} order by a.name, a.id limit ?`,
      [...parent.params, ...where.params, ...after.params, page.first + 1],
    );
    return rows.map((row) => this.em.map(Agency, row));
  }

  async count(filter: AgencyFilter & { parentId?: string | null }): Promise<number> {
    const where = filterSql(filter);
    const parent = filter.parentId ? { sql: ' and a.parent_id = ?', params: [filter.parentId] } : { sql: '', params: [] };
    const [row] = await this.em
      .execute(`select count(*)::int as count from agencies.agency a where true${parent.sql}${where.sql}`, [
        ...parent.params,
        ...where.params,
      ]);
    return row.count;
  }

  /** The same page of children for many parents at once (one statement, a window per parent). */
  async childrenPages(parentIds: string[], filter: AgencyFilter, page: PageArgs): Promise<Map<string, Agency[]>> {
    const where = filterSql(filter);
    const after = afterSql(page.after);
    const rows = await this.em.execute(
      `select * from (
         select a.*, row_number() over (partition by a.parent_id order by a.name, a.id) as position
         from agencies.agency a where a.parent_id in (?)${where.sql}${after.sql}
       ) ranked where position <= ? order by parent_id, position`,
      [parentIds, ...where.params, ...after.params, page.first + 1],
    );
    const pages = new Map<string, Agency[]>();
    for (const { position: _position, ...row } of rows) {
      const agency = this.em.map(Agency, row);
      const siblings = pages.get(agency.parentId!) ?? [];
      siblings.push(agency);
      pages.set(agency.parentId!, siblings);
    }
    return pages;
  }

  async childrenCounts(parentIds: string[], filter: AgencyFilter): Promise<Map<string, number>> {
    const where = filterSql(filter);
    const rows = await this.em
      .execute<{ parent_id: string; count: number }[]>(
        `select a.parent_id, count(*)::int as count from agencies.agency a where a.parent_id in (?)${where.sql} group by a.parent_id`,
        [parentIds, ...where.params],
      );
    return new Map(rows.map((row) => [row.parent_id, row.count]));
  }

  /**
   * The chain above each node, parent first and the national node last (absent for the national
   * node and unknown ids): one recursive statement for the whole batch, walking `parent_id` up.
   */
  async ancestors(ids: readonly string[]): Promise<Map<string, Agency[]>> {
    const rows = await this.em.execute(
      `with recursive chain (descendant_id, ancestor_id, depth) as (
         select a.id, a.parent_id, 1 from agencies.agency a where a.id in (?) and a.parent_id is not null
         union all
         select chain.descendant_id, above.parent_id, chain.depth + 1
         from chain join agencies.agency above on above.id = chain.ancestor_id
         where above.parent_id is not null and chain.depth < ?
       )
       select chain.descendant_id as chain_descendant_id, chain.depth as chain_depth, a.*
       from chain join agencies.agency a on a.id = chain.ancestor_id
       order by chain.descendant_id, chain.depth`,
      [[...ids], MAX_TREE_DEPTH],
    );
    const chains = new Map<string, Agency[]>();
    for (const { chain_descendant_id: descendantId, chain_depth: _depth, ...row } of rows) {
      const chain = chains.get(descendantId) ?? [];
      chain.push(this.em.map(Agency, row));
      chains.set(descendantId, chain);
    }
    return chains;
  }
}
