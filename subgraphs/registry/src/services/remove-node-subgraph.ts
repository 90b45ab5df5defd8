import { ConflictError, NotFoundError, parseInput } from '@lapor-hub/lib';
import type { RegistryContext } from '../context';
import { authorizeNamespace, authorizeSubgraphChange } from '../domain/access';
import { activeSubgraphs, removeNodeSubgraphInput, sourceOf } from '../domain/candidate';
import { compose } from '../domain/composition';
import { RegistryRepository } from '../registry-repository';
import { requireAgency } from './check-node-subgraph';

/** Takes a node's subgraph out of the supergraph; its versions stay, and its namespace stays the node's. */
export async function removeNodeSubgraph(
  context: RegistryContext,
  raw: { agencyId: string },
): Promise<{ namespace: string; supergraphVersion: number }> {
  const officer = authorizeSubgraphChange(context.viewer, raw.agencyId);
  const input = parseInput(removeNodeSubgraphInput, raw);
  await requireAgency(context, input.agencyId);
  return context.em.fork().transactional(async (tx) => {
    const registry = new RegistryRepository(tx);
    await registry.lockSupergraph();
    const subgraphs = await registry.subgraphs();
    const subgraph = subgraphs.find((candidate) => candidate.name === input.namespace);
    if (!subgraph || subgraph.kind !== 'NODE' || subgraph.removedAt) throw new NotFoundError('Node subgraph', input.namespace);
    authorizeNamespace(input.agencyId, subgraph);
    const remaining = activeSubgraphs(subgraphs).filter((other) => other.name !== subgraph.name);
    const composition = compose(remaining.map(sourceOf));
    // Nodes may not use one another's types, so the rest composes without it; anything else is a registry fault to look at.
    if (composition.errors) throw new ConflictError(`The supergraph does not compose without ${subgraph.name}: ${composition.errors.join('; ')}`);
    await registry.markRemoved(subgraph.name);
    const supergraph = await registry.addSupergraph(
      composition.supergraphSdl,
      remaining.map(({ name, url }) => ({ name, url })),
      `remove ${subgraph.name}`,
      officer,
    );
    return { namespace: subgraph.name, supergraphVersion: supergraph.version };
  });
}
