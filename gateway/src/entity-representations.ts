import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** The distinct representations of an `_entities` fetch, and where each original one went. */
export interface CollapsedRepresentations {
  unique: unknown[];
  /** For each original representation, its index in `unique`. */
  positions: number[];
}

/**
 * The query planner sends one representation per entity in the result, so a page of 50 complaints
 * of the same agency asks the agencies subgraph for that agency 50 times. Collapses identical
 * representations (compared by their JSON, which the planner writes in a stable key order);
 * null when there is nothing to collapse.
 */
export function collapseRepresentations(representations: unknown): CollapsedRepresentations | null {
  if (!Array.isArray(representations) || representations.length < 2) return null;
  const indexByKey = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = representations.map((representation) => {
    const key = JSON.stringify(representation);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = unique.push(representation) - 1;
      indexByKey.set(key, index);
    }
    return index;
  });
  return unique.length === representations.length ? null : { unique, positions };
}

/**
 * The subgraph's answer to the collapsed fetch, as if every original representation had been sent:
 * each entity repeated where it was asked for (a copy, since the gateway merges later fetches into
 * these objects), and each error on `_entities[i]` repeated for every position that asked for `i`.
 */
export function expandEntities(response: GatewayGraphQLResponse, positions: number[]): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const copies = new Set<number>();
  const expandedEntities = Array.isArray(entities)
    ? positions.map((index) => {
        if (!copies.has(index)) {
          copies.add(index);
          return entities[index];
        }
        return structuredClone(entities[index]);
      })
    : entities;
  const errors = response.errors?.flatMap((error) => {
    const [field, index, ...rest] = error.path ?? [];
    if (field !== '_entities' || typeof index !== 'number') return [error];
    return positions.flatMap((position, original) => (position === index ? [{ ...error, path: [field, original, ...rest] }] : []));
  });
  return {
    ...response,
    ...(response.data ? { data: { ...response.data, _entities: expandedEntities } } : {}),
    ...(errors ? { errors } : {}),
  };
}
