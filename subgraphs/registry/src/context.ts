import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeDirectory, SubgraphCredentialSigner, Viewer } from '@lapor-hub/lib';
import { listLoader, loaderById } from '@lapor-hub/lib/database';
import { RegistryRepository } from './registry-repository';

/** How the registry checks a node's URL. */
export interface RegistrySettings {
  /** `SUBGRAPH_ALLOW_PRIVATE_URLS`: loopback and private addresses allowed (development, tests). */
  allowPrivateUrls: boolean;
  /** The gateway's credential for a request to a subgraph, so that a node answers the registry as it answers the gateway. */
  signCredential: SubgraphCredentialSigner;
  /** How long a node's URL may take to answer `_service { sdl }`. */
  probeTimeoutMs: number;
}

export interface RegistryDeps {
  directory: NodeDirectory;
  settings: RegistrySettings;
}

export type RegistryContext = ReturnType<typeof createContext>;

/** Per-request state: a forked EntityManager and fresh loaders, so nothing is cached across requests. */
export function createContext(em: EntityManager, viewer: Viewer, deps: RegistryDeps) {
  const registry = new RegistryRepository(em);
  return {
    viewer,
    em,
    registry,
    ...deps,
    loaders: {
      subgraphByAgency: loaderById((ids) => registry.activeByAgencyIds(ids), (subgraph) => subgraph.agencyId!),
      versionsBySubgraph: listLoader((names) => registry.versions(names)),
    },
  };
}
