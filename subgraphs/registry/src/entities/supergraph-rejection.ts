import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A gateway replica kept a supergraph version out (its health check failed) and said why. */
export const SupergraphRejectionSchema = defineEntity({
  name: 'SupergraphRejection',
  schema: 'registry',
  tableName: 'supergraph_rejection',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    version: p.integer(),
    gateway: p.string(),
    reason: p.text(),
    rejectedAt: p.datetime().onCreate(() => new Date()),
  },
});

export type SupergraphRejection = InferEntity<typeof SupergraphRejectionSchema>;
