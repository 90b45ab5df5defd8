import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A composition the gateways serve: every version is kept, the highest is the current one. */
export const SupergraphVersionSchema = defineEntity({
  name: 'SupergraphVersion',
  schema: 'registry',
  tableName: 'supergraph_version',
  properties: {
    version: p.integer().primary(),
    sdl: p.text(),
    subgraphs: p.json<{ name: string; url: string }[]>(),
    composedAt: p.datetime().onCreate(() => new Date()),
    /** What made it: `publish bimaPupr v2`, `remove bimaPupr`, `hub subgraphs changed`. */
    cause: p.string(),
    composedBy: p.string(),
  },
});

export type SupergraphVersion = InferEntity<typeof SupergraphVersionSchema>;
