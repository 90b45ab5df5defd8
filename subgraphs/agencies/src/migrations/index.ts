import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000 } from './Migration20261124000000';
import { Migration20261124010000 } from './Migration20261124010000';

/** Every migration of the agencies schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000000', class: Migration20261124000000 },
  { name: 'Migration20261124010000', class: Migration20261124010000 },
];
