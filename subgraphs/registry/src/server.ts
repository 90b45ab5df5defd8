import type { EntityManager } from '@mikro-orm/postgresql';
import { NodeDirectory, readSubgraphSdl, ServiceClient, SUBGRAPH_NAMES, type ServiceHandle, type SubgraphName } from '@lapor-hub/lib';
import { startDatabaseSubgraph, type ServiceOptions } from '@lapor-hub/lib/database';
import { createContext, type RegistrySettings } from './context';
import { SubgraphSchema } from './entities/subgraph';
import { SubgraphVersionSchema } from './entities/subgraph-version';
import { SupergraphRejectionSchema } from './entities/supergraph-rejection';
import { SupergraphVersionSchema } from './entities/supergraph-version';
import { migrations } from './migrations';
import { recordHubSubgraphs } from './services/record-hub-subgraphs';
import { registrySubgraph } from './subgraph';

export interface RegistryServiceOptions extends ServiceOptions, Omit<RegistrySettings, 'probeTimeoutMs'> {
  /** Where the hub's own subgraphs answer; the registry's own URL defaults to where it listens. */
  hubSubgraphUrls: Omit<Record<SubgraphName, string>, 'registry'> & { registry?: string };
  probeTimeoutMs?: number;
}

/**
 * Opens the registry database (migrate), serves the subgraph, then records the hub's own subgraphs
 * so that the registry's latest supergraph is the one the gateways serve.
 */
export async function startRegistryService(options: RegistryServiceOptions): Promise<ServiceHandle> {
  const directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: options.hubSubgraphUrls.agencies }, 'registry', options.secrets));
  const settings: RegistrySettings = {
    allowPrivateUrls: options.allowPrivateUrls,
    signCredential: options.signCredential,
    probeTimeoutMs: options.probeTimeoutMs ?? 5000,
  };
  let em: (() => EntityManager) | null = null;
  const service = await startDatabaseSubgraph({
    ...options,
    definition: registrySubgraph,
    database: { schema: 'registry', entities: [SubgraphSchema, SubgraphVersionSchema, SupergraphVersionSchema, SupergraphRejectionSchema], migrations },
    createContext: (forked, viewer) => createContext(forked, viewer, { directory, settings }),
    // The hub's subgraphs are recorded once the registry listens (its own URL is known only then):
    // keep the EntityManager factory the database start hands to background work.
    background: async (fork) => {
      em = fork;
      return async () => undefined;
    },
  });
  const urls: Record<SubgraphName, string> = { ...options.hubSubgraphUrls, registry: options.hubSubgraphUrls.registry ?? service.url };
  try {
    await recordHubSubgraphs(em!(), SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], sdl: readSubgraphSdl(name) })));
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
