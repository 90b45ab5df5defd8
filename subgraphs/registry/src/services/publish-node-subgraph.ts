import type { RegistryContext } from '../context';
import { activeSubgraphs, evaluateCandidate } from '../domain/candidate';
import { mergeFindings } from '../domain/messages';
import type { Subgraph } from '../entities/subgraph';
import { RegistryRepository } from '../registry-repository';
import { authorizedCandidate, type CheckResult } from './check-node-subgraph';
import { probeNodeSubgraph } from './probe';

export interface PublishResult extends CheckResult {
  subgraph: Subgraph | null;
  supergraphVersion: number;
}

/**
 * Checks a node's subgraph and, only when every check passes, records its next version and the
 * supergraph that includes it. The URL is asked before the lock (no network call while holding
 * it); the rules, the composition and the breaking changes are judged again under the lock, on
 * the state the new version will follow.
 */
export async function publishNodeSubgraph(context: RegistryContext, raw: { agencyId: string }): Promise<PublishResult> {
  const { officer, candidate } = await authorizedCandidate(context, raw);
  const probed = await probeNodeSubgraph(context, candidate);
  return context.em.fork().transactional(async (tx) => {
    const registry = new RegistryRepository(tx);
    await registry.lockSupergraph();
    const subgraphs = await registry.subgraphs();
    const evaluation = await evaluateCandidate(candidate, subgraphs);
    const findings = mergeFindings(evaluation.findings, probed);
    if (findings.errors.length > 0 || !evaluation.supergraphSdl) {
      const current = subgraphs.find((subgraph) => subgraph.name === candidate.namespace && !subgraph.removedAt) ?? null;
      return { ok: false, ...findings, subgraph: current, supergraphVersion: (await registry.latestSupergraph())!.version };
    }
    const subgraph = await registry.saveVersion(
      { name: candidate.namespace, kind: 'NODE', agencyId: candidate.agencyId, url: candidate.url, sdl: candidate.sdl },
      officer,
    );
    const included = [...activeSubgraphs(subgraphs).filter((other) => other.name !== subgraph.name), subgraph];
    const supergraph = await registry.addSupergraph(
      evaluation.supergraphSdl,
      included.map(({ name, url }) => ({ name, url })).sort((a, b) => a.name.localeCompare(b.name)),
      `publish ${subgraph.name} v${subgraph.version}`,
      officer,
    );
    return { ok: true, ...findings, subgraph, supergraphVersion: supergraph.version };
  });
}
