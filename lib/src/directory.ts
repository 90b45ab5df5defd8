import { ExpiringCache } from './expiring-cache';
import { logger } from './logger';
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

/** A regional government (or the national node above them all) with the region code it carries. */
export interface RegionalNode extends NodeFacts {
  regionCode: string | null;
}

const REGIONAL_KINDS = ['NATIONAL', 'PROVINCE', 'REGENCY', 'CITY'] as const;

const REGIONAL_NODES_QUERY = `
  query RegionalNodes($kind: AgencyKind!, $after: String) {
    agencies(kind: $kind, first: 100, after: $after) {
      edges { node { id kind regionCode timeZone parent { id kind } ancestors { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

interface NodeAnswer {
  id: string;
  kind: string;
  timeZone: TimeZone;
  parent: { id: string; kind: string } | null;
  ancestors: { id: string }[];
}

const factsOf = (node: NodeAnswer): NodeFacts => ({
  id: node.id,
  kind: node.kind,
  timeZone: node.timeZone,
  parentId: node.parent?.id ?? null,
  parentKind: node.parent?.kind ?? null,
  ancestorIds: node.ancestors.map((a) => a.id),
});

/**
 * Node facts for access rules and deadlines, fetched in batches from the agencies subgraph.
 * With `keepRegionsWarm`, the national node and every province, regency and city (about 550
 * nodes, a few pages) are loaded together, at start (`keepWarm`) and again once a minute when
 * asked for: submissions and their events are addressed across all of them, so that node by node
 * nearly every one would miss a one-minute cache.
 */
export class NodeDirectory {
  private readonly cache = new ExpiringCache<string, NodeFacts | null>(DIRECTORY_CACHE_TTL_MS);
  private warmedAt = Number.NEGATIVE_INFINITY;
  private warming: Promise<void> | null = null;
  private readonly pending = new Map<string, Promise<NodeFacts | null>>();

  constructor(
    protected readonly agencies: ServiceClient,
    private readonly options: { keepRegionsWarm?: boolean } = {},
  ) {}

  /**
   * Loads the regional nodes unless that was done within the last minute (one load at a time,
   * shared by every caller). A failure is logged and leaves the cache as it was: nodes are then
   * fetched as they are asked for, and the load is tried again a minute later.
   */
  keepWarm(): Promise<void> {
    if (this.warming) return this.warming;
    if (!this.options.keepRegionsWarm || Date.now() - this.warmedAt < DIRECTORY_CACHE_TTL_MS) return Promise.resolve();
    this.warmedAt = Date.now();
    this.warming = this.warm()
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'could not load the regional nodes from the agency directory; asking node by node'),
      )
      .finally(() => {
        this.warming = null;
      });
    return this.warming;
  }

  /** Fetches and caches every regional node (each kind paged on its own, the kinds at once). */
  protected async warm(): Promise<RegionalNode[]> {
    const pages = await Promise.all(REGIONAL_KINDS.map((kind) => this.regionalNodesOf(kind)));
    const nodes = pages.flat();
    for (const { regionCode: _, ...facts } of nodes) this.cache.set(facts.id, facts);
    return nodes;
  }

  private async regionalNodesOf(kind: (typeof REGIONAL_KINDS)[number]): Promise<RegionalNode[]> {
    const nodes: RegionalNode[] = [];
    let after: string | null = null;
    for (;;) {
      const data: {
        agencies: { edges: { node: NodeAnswer & { regionCode: string | null } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } = await this.agencies.request(REGIONAL_NODES_QUERY, { kind, after });
      for (const { node } of data.agencies.edges) nodes.push({ ...factsOf(node), regionCode: node.regionCode });
      if (!data.agencies.pageInfo.hasNextPage || !data.agencies.pageInfo.endCursor) return nodes;
      after = data.agencies.pageInfo.endCursor;
    }
  }

  /**
   * Facts of many nodes in one request (null for unknown ids), served from a short cache. A node
   * already being fetched for another caller is awaited, not asked again: when a node's minute runs
   * out, a burst of requests about it sends one lookup, not one each.
   */
  async nodes(ids: readonly string[]): Promise<(NodeFacts | null)[]> {
    await this.keepWarm();
    const known = new Map<string, NodeFacts | null | Promise<NodeFacts | null>>();
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached) known.set(id, cached.value);
      else if (this.pending.has(id)) known.set(id, this.pending.get(id)!);
    }
    const missing = [...new Set(ids.filter((id) => !known.has(id)))];
    if (missing.length > 0) {
      const fetched = this.agencies
        .request<{ _entities: (NodeAnswer | null)[] }>(NODES_QUERY, { representations: missing.map((id) => ({ __typename: 'Agency', id })) })
        .then((data) => missing.map((id, index) => {
          const node = data._entities[index];
          const facts = node ? factsOf(node) : null;
          this.cache.set(id, facts);
          return facts;
        }))
        .finally(() => missing.forEach((id) => this.pending.delete(id)));
      missing.forEach((id, index) => {
        const one = fetched.then((all) => all[index]);
        // Each caller handles its own failure; the shared promise must not count as unhandled.
        one.catch(() => undefined);
        this.pending.set(id, one);
        known.set(id, one);
      });
    }
    return Promise.all(ids.map((id) => known.get(id) ?? null));
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
