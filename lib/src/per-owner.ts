import type { EntityManager } from '@mikro-orm/postgresql';
import { keysetAfter, type KeyColumn } from './keyset';
import type { PageArgs } from './pagination';
import { execute, sql, type SqlFragment } from './sql';

/**
 * Rows listed per owner, as an agency's inbox lists complaints: the table (`complaints.complaint c`),
 * its alias, the owner column (`c.assigned_agency_id`), the conditions every listed row meets
 * (` and c.status = ?`, or `sql.empty`), and the list's sort key, newest first.
 */
export interface OwnedRows {
  table: SqlFragment;
  alias: string;
  owner: SqlFragment;
  where: SqlFragment;
  key: readonly KeyColumn[];
  /** The columns each row carries (default: all of the table's, `alias.*`). */
  columns?: SqlFragment;
}

/**
 * The same page for many owners in one statement (a DataLoader's batch): a lateral page per owner
 * walks its index and stops after `first + 1` rows, however many rows the owner has (a window over
 * the whole list would sort all of them). Rows come back as the table's columns, owners mixed.
 */
export function pagesPerOwner(em: EntityManager, rows: OwnedRows, owners: readonly string[], page: PageArgs): Promise<Record<string, unknown>[]> {
  const alias = sql.raw(rows.alias);
  const newestFirst = sql.raw(rows.key.map((part) => `${part.column} desc`).join(', '));
  return execute(
    em,
    sql`select ${alias}.* from unnest(${sql.textArray(owners)}) as owner(id)
        cross join lateral (
          select ${rows.columns ?? sql`${alias}.*`} from ${rows.table} where ${rows.owner} = owner.id${rows.where}${keysetAfter(page.after, rows.key, '<')}
          order by ${newestFirst} limit ${page.first + 1}
        ) ${alias}`,
    // Each owner's page walks the same index whatever the owner and the filter's values.
    { keepPlan: true },
  );
}

/** How many listed rows each owner has, in one statement; an owner with none is absent. */
export async function countsPerOwner(em: EntityManager, rows: OwnedRows, owners: readonly string[]): Promise<Map<string, number>> {
  const counted = await execute<{ owner: string; count: number }>(
    em,
    sql`select ${rows.owner} as owner, count(*)::int as count from ${rows.table}
        where ${rows.owner} = any(${[...owners]})${rows.where} group by ${rows.owner}`,
    { keepPlan: true },
  );
  return new Map(counted.map((row) => [row.owner, row.count]));
}
