import type { EntityManager } from '@mikro-orm/postgresql';
import { activeSubgraphs, sourceOf } from '../domain/candidate';
import { compose, type SubgraphSource } from '../domain/composition';
import { HUB_PUBLISHER, RegistryRepository } from '../registry-repository';

/**
 * Records the hub's own subgraphs (their SDL from `schema/`, where they answer) at start: a new
 * version of each that changed, and a new supergraph when anything did, so that the supergraph
 * the gateways serve is always the registry's latest. Replicas starting together record it once.
 */
export async function recordHubSubgraphs(em: EntityManager, hub: readonly SubgraphSource[]): Promise<void> {
  await em.fork().transactional(async (tx) => {
    const registry = new RegistryRepository(tx);
    await registry.lockSupergraph();
    const before = await registry.subgraphs();
    const changed = hub.filter((source) => {
      const known = before.find((subgraph) => subgraph.name === source.name);
      return !known || known.url !== source.url || known.sdl !== source.sdl;
    });
    for (const source of changed) await registry.saveVersion({ ...source, kind: 'HUB', agencyId: null }, HUB_PUBLISHER);
    if (changed.length === 0 && (await registry.latestSupergraph())) return;
    const subgraphs = activeSubgraphs(await registry.subgraphs());
    const composition = compose(subgraphs.map(sourceOf));
    if (composition.errors) {
      throw new Error(`The hub's subgraphs no longer compose with the node subgraphs:\n${composition.errors.map((error) => `- ${error}`).join('\n')}`);
    }
    await registry.addSupergraph(
      composition.supergraphSdl,
      subgraphs.map(({ name, url }) => ({ name, url })),
      changed.length ? `hub subgraphs changed: ${changed.map((source) => source.name).join(', ')}` : 'first composition',
      HUB_PUBLISHER,
    );
  });
}
