import { ExpiringCache } from './expiring-cache';
import type { ServiceClient } from './service-client';
import type { TimeZone } from './time-zones';

/** Where a node sits in the tree, as the agencies subgraph (the directory's owner) knows it. */
export interface NodeFacts {
  id: string;
  kind: string;
  parentId: string | null;
  parentKind: string | null;
  /** Parent first, national node last. */
  ancestorIds: string[];
  timeZone: TimeZone;
}

const NODES_QUERY = `
  query Nodes($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Agency { id kind timeZone parent { id kind } ancestors { id } }
    }
  }`;

// The tree changes rarely (a new unit now and then); a minute of staleness spares a round trip
// to the agencies subgraph on nearly every request.
export const DIRECTORY_CACHE_TTL_MS = 60_000;

/** Node facts for access rules and deadlines, fetched in batches from the agencies subgraph. */
export class NodeDirectory {
  private readonly cache = new ExpiringCache<string, NodeFacts | null>(DIRECTORY_CACHE_TTL_MS);

  constructor(protected readonly agencies: ServiceClient) {}

  /** Facts of many nodes in one request (null for unknown ids), served from a short cache. */
  async nodes(ids: readonly string[]): Promise<(NodeFacts | null)[]> {
    const known = new Map<string, NodeFacts | null>();
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached) known.set(id, cached.value);
    }
    const missing = [...new Set(ids.filter((id) => !known.has(id)))];
    if (missing.length > 0) {
      const data = await this.agencies.request<{
        _entities: ({ id: string; kind: string; timeZone: TimeZone; parent: { id: string; kind: string } | null; ancestors: { id: string }[] } | null)[];
      }>(NODES_QUERY, { representations: missing.map((id) => ({ __typename: 'Agency', id })) });
      missing.forEach((id, index) => {
        const node = data._entities[index];
        const facts = node
          ? {
              id: node.id,
              kind: node.kind,
              timeZone: node.timeZone,
              parentId: node.parent?.id ?? null,
              parentKind: node.parent?.kind ?? null,
              ancestorIds: node.ancestors.map((a) => a.id),
            }
          : null;
        this.cache.set(id, facts);
        known.set(id, facts);
      });
    }
    return ids.map((id) => known.get(id) ?? null);
  }
}

/**
 * How the viewer's node stands to a node: its own (the node itself or one of its units), an
 * ancestor of it (a province over its regencies: may read, not act), or neither.
 */
export type NodeRelation = 'own' | 'ancestor' | 'none';

export function relationTo(viewerAgencyId: string, node: NodeFacts | null): NodeRelation {
  if (!node) return 'none';
  if (node.id === viewerAgencyId || (node.kind === 'UNIT' && node.parentId === viewerAgencyId)) return 'own';
  return node.ancestorIds.includes(viewerAgencyId) ? 'ancestor' : 'none';
}

/** The node a unit belongs to; any other node is its own. */
export function homeNodeId(node: NodeFacts): string {
  return node.kind === 'UNIT' && node.parentId ? node.parentId : node.id;
}

export function homeNodeKind(node: NodeFacts): string {
  return node.kind === 'UNIT' && node.parentKind ? node.parentKind : node.kind;
}

/** The node, its home node and every ancestor: the scopes (node, province, nation) it counts in. */
export function scopePath(node: NodeFacts): string[] {
  return [...new Set([node.id, homeNodeId(node), ...node.ancestorIds])];
}
