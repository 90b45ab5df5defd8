import { parse } from 'graphql';
import { z } from 'zod';
import { lineText } from '@lapor-hub/lib';
import type { Subgraph } from '../entities/subgraph';
import { versionFindings } from './changes';
import { compose, type SubgraphSource } from './composition';
import { mergeFindings, type CheckFindings } from './messages';
import { NAMESPACE_PATTERN, namespaceViolations } from './namespace';
import { isSubgraphUrl } from './url';

/** The largest SDL accepted: far above any real node's schema, far below what would strain composition. */
export const MAX_SDL_LENGTH = 200_000;

const namespace = z.string().regex(NAMESPACE_PATTERN, 'must be lowerCamel letters and digits, 3 to 31 characters (^[a-z][a-zA-Z0-9]{2,30}$)');

/** `checkNodeSubgraph`'s and `publishNodeSubgraph`'s input; a malformed namespace, URL or SDL names its field. */
export const nodeSubgraphInput = z.object({
  agencyId: lineText(200),
  namespace,
  url: z.string().max(2000, 'must be at most 2000 characters').refine(isSubgraphUrl, 'must be an absolute http or https URL without credentials'),
  sdl: z
    .string()
    .max(MAX_SDL_LENGTH, `must be at most ${MAX_SDL_LENGTH} characters`)
    .superRefine((sdl, context) => {
      try {
        parse(sdl);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `is not GraphQL SDL: ${(error as Error).message}` });
      }
    }),
  allowBreakingChanges: z
    .boolean()
    .nullish()
    .transform((allow) => allow ?? false),
});

export type NodeSubgraphCandidate = z.output<typeof nodeSubgraphInput>;

export const removeNodeSubgraphInput = z.object({
  agencyId: lineText(200),
  namespace,
});

/** The subgraphs in the supergraph now (the hub's and the nodes' not removed). */
export function activeSubgraphs(subgraphs: readonly Subgraph[]): Subgraph[] {
  return subgraphs.filter((subgraph) => !subgraph.removedAt);
}

export interface Evaluation {
  findings: CheckFindings;
  /** The supergraph with the candidate in it; null when it does not compose. */
  supergraphSdl: string | null;
}

/**
 * What the registry's own state says of a candidate: its namespace is free for it, it keeps the
 * namespace rules, it composes with every other subgraph, and how it changes the node's previous
 * version. The URL's answer is checked apart (`services/probe.ts`).
 */
export async function evaluateCandidate(candidate: NodeSubgraphCandidate, subgraphs: readonly Subgraph[]): Promise<Evaluation> {
  const taken: CheckFindings = { errors: [], warnings: [] };
  const existing = subgraphs.find((subgraph) => subgraph.name === candidate.namespace) ?? null;
  if (existing?.kind === 'HUB') {
    taken.errors.push({ code: 'NAMESPACE_TAKEN', message: `${candidate.namespace} is one of the hub's own subgraphs` });
  }
  const other = subgraphs.find((subgraph) => subgraph.agencyId === candidate.agencyId && subgraph.name !== candidate.namespace && !subgraph.removedAt);
  if (other) {
    taken.errors.push({ code: 'NAMESPACE_TAKEN', message: `${candidate.agencyId} already has the subgraph ${other.name}; remove it before publishing another` });
  }
  const others = activeSubgraphs(subgraphs).filter((subgraph) => subgraph.name !== candidate.namespace);
  const document = parse(candidate.sdl);
  const rules: CheckFindings = {
    errors: namespaceViolations(
      candidate.namespace,
      document,
      others.map((subgraph) => ({ name: subgraph.name, document: parse(subgraph.sdl) })),
    ),
    warnings: [],
  };
  const composition = compose([...others.map(sourceOf), { name: candidate.namespace, url: candidate.url, sdl: candidate.sdl }]);
  const composed: CheckFindings = {
    errors: (composition.errors ?? []).map((message) => ({ code: 'COMPOSITION_FAILED' as const, message })),
    warnings: [],
  };
  const previous = existing?.kind === 'NODE' && !existing.removedAt ? existing : null;
  const versions = previous ? await versionFindings(previous.sdl, candidate.sdl, candidate.allowBreakingChanges) : { errors: [], warnings: [] };
  return { findings: mergeFindings(taken, rules, composed, versions), supergraphSdl: composition.supergraphSdl };
}

export function sourceOf(subgraph: Subgraph): SubgraphSource {
  return { name: subgraph.name, url: subgraph.url, sdl: subgraph.sdl };
}
