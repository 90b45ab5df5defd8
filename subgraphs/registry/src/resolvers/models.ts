import type { Connection } from '@lapor-hub/lib';
import type { Subgraph } from '../entities/subgraph';

/** A page of node subgraphs as the resolvers build it (`toConnection`); its total is counted only when asked for. */
export type NodeSubgraphPage = Connection<Subgraph>;

/** A hub node as this subgraph knows it: by its key alone. */
export interface AgencyReference {
  id: string;
}
