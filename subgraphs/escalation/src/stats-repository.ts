import type { EntityManager } from '@mikro-orm/postgresql';

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

function scopeCondition(scope: string): { sql: string; params: unknown[] } {
  const [kind, agencyId] = scope.split(/:(.*)/s);
  if (kind === 'node' && agencyId) return { sql: 'e.to_home_id = ?', params: [agencyId] };
  if (kind === 'subtree' && agencyId) return { sql: 'e.to_path @> array[?]::text[]', params: [agencyId] };
  return { sql: 'true', params: [] };
}

/**
 * The escalation step of the dashboard: one statement for a whole batch of stats objects. Each
 * count reads its own index (the open ones past their deadline; those created in the period), not
 * every escalation of the scope.
 */
export async function escalationStats(em: EntityManager, keys: readonly StatsKey[], now: Date): Promise<EscalationStats[]> {
  const parts = keys.map((key, index) => {
    const scope = scopeCondition(key.scope);
    return {
      sql: `select ${index} as key,
              (select count(*) from escalation.escalation e where e.status = 'OPEN' and e.respond_due_at < ? and ${scope.sql})::int as overdue,
              (select count(*) from escalation.escalation e where e.created_at >= ? and e.created_at < ? and ${scope.sql})::int as received`,
      params: [now, ...scope.params, key.from, key.to, ...scope.params],
    };
  });
  const rows = await em.execute<{ key: number; overdue: number; received: number }[]>(
    parts.map((part) => part.sql).join(' union all '),
    parts.flatMap((part) => part.params),
  );
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return keys.map((_key, index) => ({ overdueResponses: byKey.get(index)?.overdue ?? 0, received: byKey.get(index)?.received ?? 0 }));
}
