import { parse } from 'graphql';
import type { ServiceHandle } from '@lapor-hub/lib';
import { startNodeSubgraph } from '@lapor-hub/node-kit';
import { postGraphQL, type TestHub } from './hub';

// Node subgraphs published, updated and removed under a test hub, and how long its gateways take
// to serve each change (test/recomposition.test.ts, test/faults/recomposition-under-load.test.ts).

export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const PUBLISH = `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ok errors { code message } supergraphVersion } }`;
const REMOVE = `mutation($input: RemoveNodeSubgraphInput!) { removeNodeSubgraph(input: $input) { supergraphVersion } }`;

/**
 * A node subgraph of `namespace` (built with node-kit, as a node builds one) whose root fields
 * answer their own names (each field of `sdl` starting with `bima`); `resolvers` replaces those.
 */
export function startStubNode(hub: TestHub, namespace: string, sdl: string, resolvers?: Record<string, () => unknown>): Promise<ServiceHandle> {
  const fields = [...sdl.matchAll(/(bima\w+):/g)].map((match) => match[1]);
  return startNodeSubgraph({
    namespace,
    typeDefs: parse(sdl),
    resolvers: { Query: resolvers ?? Object.fromEntries(fields.map((field) => [field, () => field])) },
    jwksUrl: hub.jwksUrl,
    createContext: () => ({}),
  });
}

/**
 * A registry mutation through the hub's gateway as `token`, as an operator's CLI sends it: an
 * answer SERVICE_UNAVAILABLE (a hub service it asks timed out under the test's load; nothing was
 * changed) is sent again, a few times; any other error is the answer.
 */
async function registryMutation(hub: TestHub, token: string, mutation: string, input: Record<string, unknown>) {
  for (let attempt = 1; ; attempt++) {
    const answer = await hub.query(mutation, { input }, token);
    const unavailable = answer.errors?.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE') ?? false;
    if (!unavailable || attempt === 5) return answer;
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

/** Publishes through the hub's gateway as `token`; the new supergraph version, or throws what the registry said. */
export async function publishNode(hub: TestHub, token: string, input: Record<string, unknown>): Promise<number> {
  const { data, errors } = await registryMutation(hub, token, PUBLISH, input);
  if (errors || !data.publishNodeSubgraph.ok) throw new Error(`publishNodeSubgraph refused: ${JSON.stringify(errors ?? data.publishNodeSubgraph.errors)}`);
  return data.publishNodeSubgraph.supergraphVersion as number;
}

/** Removes through the hub's gateway as `token`, or throws what the registry said. */
export async function removeNode(hub: TestHub, token: string, input: { agencyId: string; namespace: string }): Promise<void> {
  const { errors } = await registryMutation(hub, token, REMOVE, input);
  if (errors) throw new Error(`removeNodeSubgraph refused: ${JSON.stringify(errors)}`);
}

/**
 * How long until `gateway` answers `query` as `token`: `answered` without errors, `unknown` refused
 * as unknown, `known` no longer refused as unknown (whatever else it answers); at most 15 s, else Infinity.
 */
export async function timeUntil(gateway: string, query: string, token: string, until: 'answered' | 'unknown' | 'known' = 'answered'): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    const answer = await postGraphQL(gateway, query, {}, { authorization: `Bearer ${token}` });
    const refusedAsUnknown = answer.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED';
    if (until === 'unknown' ? refusedAsUnknown : until === 'known' ? !refusedAsUnknown : !answer.errors) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Infinity;
}
