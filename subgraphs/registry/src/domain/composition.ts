import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** A subgraph as the registry composes it. */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export type Composition = { supergraphSdl: string; errors: null } | { supergraphSdl: null; errors: string[] };

/** Composes subgraphs into a Federation 2 supergraph, in name order so that equal inputs give equal outputs. */
export function compose(subgraphs: readonly SubgraphSource[]): Composition {
  const sorted = [...subgraphs].sort((a, b) => a.name.localeCompare(b.name));
  const result = composeServices(sorted.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) return { supergraphSdl: null, errors: result.errors.map((error) => error.message) };
  return { supergraphSdl: result.supergraphSdl, errors: null };
}
