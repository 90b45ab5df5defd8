import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000200 } from './Migration20261124000200';
import { Migration20261124020000 } from './Migration20261124020000';
import { Migration20261124030000 } from './Migration20261124030000';
import { Migration20261124050000 } from './Migration20261124050000';
import { Migration20261124055000 } from './Migration20261124055000';
import { Migration20261124056000 } from './Migration20261124056000';
import { Migration20261124070000 } from './Migration20261124070000';

/** Every migration of the complaints schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000200', class: Migration20261124000200 },
  { name: 'Migration20261124020000', class: Migration20261124020000 },
  { name: 'Migration20261124030000', class: Migration20261124030000 },
  { name: 'Migration20261124050000', class: Migration20261124050000 },
  { name: 'Migration20261124055000', class: Migration20261124055000 },
  { name: 'Migration20261124056000', class: Migration20261124056000 },
  { name: 'Migration20261124070000', class: Migration20261124070000 },
];
