import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A LAPOR! topic category. */
export const CategorySchema = defineEntity({
  name: 'Category',
  schema: 'agencies',
  tableName: 'category',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    description: p.string(),
  },
});

export type Category = InferEntity<typeof CategorySchema>;
