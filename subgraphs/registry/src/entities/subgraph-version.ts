import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One published version of a subgraph, kept for good with who published it and when. */
export const SubgraphVersionSchema = defineEntity({
  name: 'SubgraphVersion',
  schema: 'registry',
  tableName: 'subgraph_version',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    subgraphName: p.string(),
    version: p.integer(),
    url: p.string(),
    sdl: p.text(),
    /** The officer's token subject; `hub` for the hub's own subgraphs recorded at start. */
    publishedBy: p.string(),
    publishedByRole: p.string(),
    publishedByAgencyId: p.string(),
    publishedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type SubgraphVersion = InferEntity<typeof SubgraphVersionSchema>;
