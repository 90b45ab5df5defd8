import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000200 } from './Migration20261124000200';

/** Every migration of the complaints schema, oldest first. */
export const migrations: MigrationObject[] = [{ name: 'Migration20261124000200', class: Migration20261124000200 }];
