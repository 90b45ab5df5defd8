import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201200000 } from './Migration20261201200000';

/** Every migration of the registry schema, oldest first. */
export const migrations: MigrationObject[] = [{ name: 'Migration20261201200000', class: Migration20261201200000 }];
