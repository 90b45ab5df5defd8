import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { composeServices } from '@apollo/composition';

/** `schema/` at the repository root: the SDL contract of each subgraph and the composed supergraph. */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

export const SUBGRAPH_NAMES = ['agencies', 'complaints', 'escalation'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Where each subgraph listens when the hub runs with its defaults (and in the committed supergraph). */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = { agencies: 4001, complaints: 4002, escalation: 4003 };

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;
}

export function readSubgraphSdl(name: SubgraphName): string {
  return readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(readSubgraphSdl(name));
}

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

export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
