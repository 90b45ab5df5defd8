import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000100 } from './Migration20261124000100';
import { Migration20261124040000 } from './Migration20261124040000';
import { Migration20261124060000 } from './Migration20261124060000';
import { Migration20261124071000 } from './Migration20261124071000';
import { Migration20261124072000 } from './Migration20261124072000';
import { Migration20261201000000 } from './Migration20261201000000';
import { Migration20261201110100 } from './Migration20261201110100';
import { Migration20261202090000 } from './Migration20261202090000';
import { Migration20261203160000 } from './Migration20261203160000';

/** Every migration of the escalation schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000100', class: Migration20261124000100 },
  { name: 'Migration20261124040000', class: Migration20261124040000 },
  { name: 'Migration20261124060000', class: Migration20261124060000 },
  { name: 'Migration20261124071000', class: Migration20261124071000 },
  { name: 'Migration20261124072000', class: Migration20261124072000 },
  { name: 'Migration20261201000000', class: Migration20261201000000 },
  { name: 'Migration20261201110100', class: Migration20261201110100 },
  { name: 'Migration20261202090000', class: Migration20261202090000 },
  { name: 'Migration20261203160000', class: Migration20261203160000 },
];
