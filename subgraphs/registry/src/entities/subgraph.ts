import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type SubgraphKind = 'HUB' | 'NODE';

/**
 * A subgraph of the supergraph as it stands now: one of the hub's own (recorded at every start
 * from `schema/`) or a node's, named by its namespace. A removed node subgraph keeps its row, so
 * its namespace stays reserved to its node.
 */
export const SubgraphSchema = defineEntity({
  name: 'Subgraph',
  schema: 'registry',
  tableName: 'subgraph',
  properties: {
    name: p.string().primary(),
    kind: p.string().$type<SubgraphKind>(),
    /** The owning node; null for the hub's own subgraphs. */
    agencyId: p.string().nullable(),
    url: p.string(),
    sdl: p.text(),
    version: p.integer(),
    publishedAt: p.datetime(),
    /** Set while the subgraph is out of the supergraph. */
    removedAt: p.datetime().nullable(),
  },
});

export type Subgraph = InferEntity<typeof SubgraphSchema>;
