import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, ServiceUnavailableError, type AuthSecrets } from '@lapor-hub/lib';
import type { TimeZone } from './domain/working-calendar';

/** What the complaints service needs to know about nodes and categories to accept a submission. */
export interface DirectoryAnswer {
  chosenAgency: { id: string; kind: string } | null;
  regionAgency: { id: string } | null;
  category: { id: string } | null;
  nationalAgencyId: string;
}

/** Where a node sits in the tree, for access rules and deadlines. */
export interface NodeFacts {
  id: string;
  kind: string;
  parentId: string | null;
  /** Parent first, national node last. */
  ancestorIds: string[];
  timeZone: TimeZone;
}

const SUBMISSION_QUERY = `
  query Directory($agencyId: ID!, $withAgency: Boolean!, $regionCode: String!, $withRegion: Boolean!,
                  $categoryId: ID!, $withCategory: Boolean!) {
    chosenAgency: agency(id: $agencyId) @include(if: $withAgency) { id kind }
    regionAgency: agencyByRegionCode(regionCode: $regionCode) @include(if: $withRegion) { id }
    category(id: $categoryId) @include(if: $withCategory) { id }
    national: agencies(kind: NATIONAL, first: 1) { edges { node { id } } }
  }`;

const NODES_QUERY = `
  query Nodes($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Agency { id kind timeZone parent { id } ancestors { id } }
    }
  }`;

// The tree changes rarely (a new unit now and then); a minute of staleness spares a round trip
// to the agencies subgraph on nearly every request.
const NODE_CACHE_TTL_MS = 60_000;

/**
 * Asks the agencies subgraph (the directory's owner), signed as a hub service. The complaints
 * service never reads the agencies tables itself.
 */
export class DirectoryClient {
  private readonly nodeCache = new Map<string, { facts: NodeFacts | null; expiresAt: number }>();

  constructor(
    private readonly agenciesUrl: string,
    private readonly secrets: AuthSecrets,
    private readonly timeoutMs = 5000,
  ) {}

  async lookup(query: { agencyId: string | null; regionCode: string | null; categoryId: string | null }): Promise<DirectoryAnswer> {
    const data = await this.request<{
      chosenAgency?: { id: string; kind: string } | null;
      regionAgency?: { id: string } | null;
      category?: { id: string } | null;
      national: { edges: { node: { id: string } }[] };
    }>(SUBMISSION_QUERY, {
      agencyId: query.agencyId ?? '',
      withAgency: query.agencyId !== null,
      regionCode: query.regionCode ?? '',
      withRegion: query.regionCode !== null,
      categoryId: query.categoryId ?? '',
      withCategory: query.categoryId !== null,
    });
    const national = data.national.edges[0]?.node.id;
    if (!national) throw directoryUnavailable('no national node');
    return {
      chosenAgency: data.chosenAgency ?? null,
      regionAgency: data.regionAgency ?? null,
      category: data.category ?? null,
      nationalAgencyId: national,
    };
  }

  /** Facts of many nodes in one request (null for unknown ids), served from a short cache. */
  async nodes(ids: readonly string[]): Promise<(NodeFacts | null)[]> {
    const now = Date.now();
    const missing = [...new Set(ids.filter((id) => (this.nodeCache.get(id)?.expiresAt ?? 0) <= now))];
    if (missing.length > 0) {
      const data = await this.request<{
        _entities: ({ id: string; kind: string; timeZone: TimeZone; parent: { id: string } | null; ancestors: { id: string }[] } | null)[];
      }>(NODES_QUERY, { representations: missing.map((id) => ({ __typename: 'Agency', id })) });
      missing.forEach((id, index) => {
        const node = data._entities[index];
        const facts = node
          ? { id: node.id, kind: node.kind, timeZone: node.timeZone, parentId: node.parent?.id ?? null, ancestorIds: node.ancestors.map((a) => a.id) }
          : null;
        this.nodeCache.set(id, { facts, expiresAt: now + NODE_CACHE_TTL_MS });
      });
    }
    return ids.map((id) => this.nodeCache.get(id)?.facts ?? null);
  }

  private async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const credential = await signGatewayCredential({ kind: 'service', name: 'complaints' }, this.secrets.gatewaySecret);
    let response: Response;
    try {
      response = await fetch(this.agenciesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw directoryUnavailable(error);
    }
    const result = (await response.json().catch(() => null)) as { data?: T; errors?: unknown[] } | null;
    if (!response.ok || !result?.data || result.errors) throw directoryUnavailable(result);
    return result.data;
  }
}

function directoryUnavailable(cause: unknown): ServiceUnavailableError {
  const error = new ServiceUnavailableError('The agency directory is unavailable; retry');
  (error as Error & { cause?: unknown }).cause = cause;
  return error;
}
