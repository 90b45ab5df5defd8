import DataLoader from 'dataloader';

/**
 * A per-request loader of rows by id: one fetch (one SQL query) per batch, results in key order,
 * `null` for ids that do not exist.
 */
export function loaderById<T>(
  fetchMany: (ids: readonly string[]) => Promise<T[]>,
  idOf: (row: T) => string,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await fetchMany(ids);
    const byId = new Map(rows.map((row) => [idOf(row), row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * A per-request loader keyed by anything JSON-serialisable. Keys that differ only in `ownerId` are
 * fetched together, so a batch costs one query per distinct argument set (usually exactly one).
 */
export function groupedLoader<A extends object, R>(
  fetchGroup: (ownerIds: string[], args: A) => Promise<Map<string, R>>,
  empty: () => R,
): DataLoader<{ ownerId: string } & A, R, string> {
  return new DataLoader<{ ownerId: string } & A, R, string>(
    async (keys) => {
      const groups = new Map<string, { args: A; ownerIds: string[] }>();
      for (const { ownerId, ...args } of keys) {
        const signature = JSON.stringify(args);
        const group = groups.get(signature) ?? { args: args as unknown as A, ownerIds: [] };
        group.ownerIds.push(ownerId);
        groups.set(signature, group);
      }
      const results = new Map<string, Map<string, R>>();
      await Promise.all(
        [...groups].map(async ([signature, group]) => {
          results.set(signature, await fetchGroup(group.ownerIds, group.args));
        }),
      );
      return keys.map(({ ownerId, ...args }) => results.get(JSON.stringify(args))?.get(ownerId) ?? empty());
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

/** A per-request loader of each owner's rows (e.g. a complaint's timeline): one fetch per batch. */
export function listLoader<T>(fetchGroups: (ownerIds: readonly string[]) => Promise<Map<string, T[]>>): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (ownerIds) => {
    const groups = await fetchGroups(ownerIds);
    return ownerIds.map((id) => groups.get(id) ?? []);
  });
}

/** A per-request loader over any batch function that answers keys in order. */
export function batchLoader<V>(batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  return new DataLoader<string, V>(batch);
}

/** Rows grouped by owner, in their original order. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row)) ?? [];
    group.push(row);
    groups.set(keyOf(row), group);
  }
  return groups;
}

/** A per-request loader over object keys (compared by value) whose batch function answers in order. */
export function keyedBatchLoader<K extends object, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(batch, { cacheKeyFn: (key) => JSON.stringify(key) });
}
