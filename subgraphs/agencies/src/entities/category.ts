import { EntitySchema } from '@mikro-orm/core';

/** A LAPOR! topic category. */
export class Category {
  id!: string;
  name!: string;
  description!: string;
}

export const CategorySchema = new EntitySchema<Category>({
  class: Category,
  schema: 'agencies',
  tableName: 'category',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    description: { type: 'string' },
  },
});
