import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The reporter's rating (1–5) of a follow-up, given with the reply to it: at most one per
 * follow-up. It counts for the node that held the complaint then (its holder fields, as the
 * complaint had them). Rows are only ever inserted (a database trigger refuses the rest).
 */
export const RatingSchema = defineEntity({
  name: 'Rating',
  schema: 'complaints',
  tableName: 'rating',
  properties: {
    followUpId: p.uuid().primary(),
    complaintId: p.uuid(),
    rating: p.smallint(),
    ratedAt: p.datetime(),
    holderHomeId: p.string().nullable(),
    holderHomeKind: p.string().nullable(),
    holderPath: p.array(),
  },
});

export type Rating = InferEntity<typeof RatingSchema>;
