import type { MigrationObject } from '@mikro-orm/core';
import type { WebhookSecretKeyring } from '../domain/secret-sealing';
import { Migration20261201100000 } from './Migration20261201100000';
import { Migration20261202100000 } from './Migration20261202100000';
import { sealSigningSecrets } from './Migration20261202110000';

/** Every migration of the webhooks schema, oldest first; one seals the signing secrets with `keyring`. */
export const webhooksMigrations = (keyring: WebhookSecretKeyring): MigrationObject[] => [
  { name: 'Migration20261201100000', class: Migration20261201100000 },
  { name: 'Migration20261202100000', class: Migration20261202100000 },
  { name: 'Migration20261202110000', class: sealSigningSecrets(keyring) },
];
