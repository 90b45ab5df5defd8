import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DocumentNode } from 'graphql';

/** `schema/` at the repository root: the SDL contract of each subgraph and the composed supergraph. */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');
export const SUPERGRAPH_PATH = path.join(SCHEMA_DIR, 'supergraph.graphql');

/** In start order: each after the ones it calls (complaints and escalation report their events to webhooks). */
export const SUBGRAPH_NAMES = ['agencies', 'webhooks', 'complaints', 'escalation', 'registry'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Where each subgraph listens when the hub runs with its defaults (and in the committed supergraph). */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = { agencies: 4001, complaints: 4002, escalation: 4003, webhooks: 4004, registry: 4005 };

export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;
}

export function readSubgraphSdl(name: SubgraphName): string {
  return readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return parse(readSubgraphSdl(name));
}

export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/** The subgraph URLs a supergraph names (its `join__Graph` values), by subgraph name. */
export function supergraphSubgraphUrls(supergraphSdl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const argument = (name: string) => graph?.arguments?.find((arg) => arg.name.value === name)?.value;
      const name = argument('name');
      const url = argument('url');
      if (name?.kind === Kind.STRING && url?.kind === Kind.STRING) urls[name.value] = url.value;
    }
  }
  return urls;
}
