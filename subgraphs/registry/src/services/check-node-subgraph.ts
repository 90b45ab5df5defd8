import { NotFoundError, parseInput, type Officer } from '@lapor-hub/lib';
import type { RegistryContext } from '../context';
import { authorizeNamespace, authorizeSubgraphChange } from '../domain/access';
import { evaluateCandidate, nodeSubgraphInput, type NodeSubgraphCandidate } from '../domain/candidate';
import { mergeFindings, type CheckFindings } from '../domain/messages';
import { probeNodeSubgraph } from './probe';

export interface CheckResult extends CheckFindings {
  ok: boolean;
}

/** The input of a node subgraph change, validated, for a caller allowed to make it, on a node that exists. */
export async function authorizedCandidate(
  context: RegistryContext,
  raw: { agencyId: string },
): Promise<{ officer: Officer; candidate: NodeSubgraphCandidate }> {
  // The caller is checked before the input, so a refused caller learns nothing about the node.
  const officer = authorizeSubgraphChange(context.viewer, raw.agencyId);
  const candidate = parseInput(nodeSubgraphInput, raw);
  await requireAgency(context, candidate.agencyId);
  authorizeNamespace(candidate.agencyId, await context.registry.findSubgraph(candidate.namespace));
  return { officer, candidate };
}

export async function requireAgency(context: RegistryContext, agencyId: string): Promise<void> {
  const [node] = await context.directory.nodes([agencyId]);
  if (!node) throw new NotFoundError('Agency', agencyId);
}

/** Every check of a node's subgraph against the registry as it stands; nothing changes. */
export async function checkNodeSubgraph(context: RegistryContext, raw: { agencyId: string }): Promise<CheckResult> {
  const { candidate } = await authorizedCandidate(context, raw);
  const [probed, evaluation] = await Promise.all([
    probeNodeSubgraph(context, candidate),
    context.registry.subgraphs().then((subgraphs) => evaluateCandidate(candidate, subgraphs)),
  ]);
  const findings = mergeFindings(evaluation.findings, probed);
  return { ok: findings.errors.length === 0, ...findings };
}
