import type { MigrationObject } from '@mikro-orm/core';
import type { ContactSeal } from '../domain/contact-sealing';
import { Migration20261124000200 } from './Migration20261124000200';
import { Migration20261124020000 } from './Migration20261124020000';
import { Migration20261124030000 } from './Migration20261124030000';
import { Migration20261124050000 } from './Migration20261124050000';
import { Migration20261124055000 } from './Migration20261124055000';
import { sealReporterContacts } from './Migration20261124056000';
import { Migration20261124070000 } from './Migration20261124070000';
import { Migration20261201100000 } from './Migration20261201100000';
import { Migration20261201150000 } from './Migration20261201150000';
import { Migration20261201160000 } from './Migration20261201160000';
import { Migration20261201170000 } from './Migration20261201170000';
import { Migration20261201200000 } from './Migration20261201200000';
import { Migration20261201210000 } from './Migration20261201210000';
import { Migration20261202090000 } from './Migration20261202090000';
import { Migration20261202140000 } from './Migration20261202140000';
import { Migration20261203160000 } from './Migration20261203160000';
import { Migration20261203170000 } from './Migration20261203170000';

/** Every migration of the complaints schema, oldest first; one seals contacts with `contactSeal`. */
export const complaintsMigrations = (contactSeal: ContactSeal): MigrationObject[] => [
  { name: 'Migration20261124000200', class: Migration20261124000200 },
  { name: 'Migration20261124020000', class: Migration20261124020000 },
  { name: 'Migration20261124030000', class: Migration20261124030000 },
  { name: 'Migration20261124050000', class: Migration20261124050000 },
  { name: 'Migration20261124055000', class: Migration20261124055000 },
  { name: 'Migration20261124056000', class: sealReporterContacts(contactSeal) },
  { name: 'Migration20261124070000', class: Migration20261124070000 },
  { name: 'Migration20261201100000', class: Migration20261201100000 },
  { name: 'Migration20261201150000', class: Migration20261201150000 },
  { name: 'Migration20261201160000', class: Migration20261201160000 },
  { name: 'Migration20261201170000', class: Migration20261201170000 },
  { name: 'Migration20261201200000', class: Migration20261201200000 },
  { name: 'Migration20261201210000', class: Migration20261201210000 },
  { name: 'Migration20261202090000', class: Migration20261202090000 },
  { name: 'Migration20261202140000', class: Migration20261202140000 },
  { name: 'Migration20261203160000', class: Migration20261203160000 },
  { name: 'Migration20261203170000', class: Migration20261203170000 },
];
