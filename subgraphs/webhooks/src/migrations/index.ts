import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201100000 } from './Migration20261201100000';

/** Every migration of the webhooks schema, oldest first. */
export const migrations: MigrationObject[] = [{ name: 'Migration20261201100000', class: Migration20261201100000 }];
