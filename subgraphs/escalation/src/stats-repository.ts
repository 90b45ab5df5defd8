import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql, type SqlFragment } from '@lapor-hub/lib';

/** The key of a complaint-stats object: `node:<id>`, `subtree:<id>` or `nation`, and its period. */
export interface StatsKey {
  scope: string;
  from: string;
  to: string;
}

export interface EscalationStats {
  overdueResponses: number;
  received: number;
}

function scopeCondition(scope: string): SqlFragment {
  const [kind, agencyId] = scope.split(/:(.*)/s);
  if (kind === 'node' && agencyId) return sql`e.to_home_id = ${agencyId}`;
  if (kind === 'subtree' && agencyId) return sql`e.to_path @> array[${agencyId}]::text[]`;
  return sql`true`;
}

/** The escalation step of the dashboard. */
export class StatsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One statement for a whole batch of stats objects. Each count reads its own index (the open
   * ones past their deadline; those created in the period), not every escalation of the scope.
   */
  async escalationStats(keys: readonly StatsKey[], now: Date): Promise<EscalationStats[]> {
    const parts = keys.map((key, index) => {
      const scope = scopeCondition(key.scope);
      return sql`select ${sql.raw(String(index))} as key,
        (select count(*) from escalation.escalation e where e.status = 'OPEN' and e.respond_due_at < ${now} and ${scope})::int as overdue,
        (select count(*) from escalation.escalation e where e.created_at >= ${key.from} and e.created_at < ${key.to} and ${scope})::int as received`;
    });
    const rows = await execute<{ key: number; overdue: number; received: number }>(this.em, sql.join(parts, ' union all '));
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((_key, index) => ({ overdueResponses: byKey.get(index)?.overdue ?? 0, received: byKey.get(index)?.received ?? 0 }));
  }
}
