import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201100000 } from './Migration20261201100000';
import { Migration20261202100000 } from './Migration20261202100000';

/** Every migration of the webhooks schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261201100000', class: Migration20261201100000 },
  { name: 'Migration20261202100000', class: Migration20261202100000 },
];
