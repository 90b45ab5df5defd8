import { composeServices } from '@apollo/composition';
import { SUBGRAPH_NAMES, subgraphTypeDefs, type SubgraphName } from './schema';

// Its own entry point (`@lapor-hub/lib/composition`): only `npm run compose` and the supergraph
// test compose, and composition is a large library that no running service needs.

/** Composes the supergraph in-process (no rover binary); throws with every composition error. */
export function composeSupergraph(urls: Record<SubgraphName, string>): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], typeDefs: subgraphTypeDefs(name) })),
  );
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
