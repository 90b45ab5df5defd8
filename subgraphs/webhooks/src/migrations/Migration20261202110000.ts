import { Migration } from '@mikro-orm/migrations';
import type { WebhookSecretKeyring } from '../domain/secret-sealing';

const SEAL_BATCH = 1000;

/**
 * Subscriptions' signing secrets sealed with WEBHOOK_SECRET_KEY instead of stored in clear: the
 * rows already there are sealed here (in Node: the key never reaches the database), then the clear
 * columns go. Built around the service's keyring, since the migrator constructs the class itself;
 * the service refuses to start without the key, so the migration never runs without it.
 */
export const sealSigningSecrets = (keyring: WebhookSecretKeyring) =>
  class Migration20261202110000 extends Migration {
    override async up(): Promise<void> {
      await this.execute(
        `alter table "webhooks"."subscription" add column "secret_key_id" text null, add column "secret_sealed" bytea null, add column "previous_secret_sealed" bytea null;`,
      );
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await this.execute(
          `select "id", "secret", "previous_secret" from "webhooks"."subscription" where "id" > ? order by "id" limit ${SEAL_BATCH}`,
          [after],
        )) as { id: string; secret: string; previous_secret: string | null }[];
        if (rows.length === 0) break;
        const sealed = rows.map((row) => {
          const { keyId, current, previous } = keyring.seal(row.id, { current: row.secret, previous: row.previous_secret });
          return { id: row.id, key_id: keyId, current: current.toString('hex'), previous: previous?.toString('hex') ?? null };
        });
        await this.execute(
          `update "webhooks"."subscription" s
           set "secret_key_id" = r.key_id, "secret_sealed" = decode(r.current, 'hex'), "previous_secret_sealed" = decode(r.previous, 'hex')
           from jsonb_to_recordset(?::jsonb) as r(id uuid, key_id text, current text, previous text) where s."id" = r.id`,
          [JSON.stringify(sealed)],
        );
        after = rows[rows.length - 1].id;
      }
      await this.execute(
        `alter table "webhooks"."subscription" drop column "secret", drop column "previous_secret",
           alter column "secret_key_id" set not null, alter column "secret_sealed" set not null;`,
      );
    }

    override async down(): Promise<void> {
      await this.execute(`alter table "webhooks"."subscription" add column "secret" text null, add column "previous_secret" text null;`);
      const rows = (await this.execute(`select "id", "secret_key_id", "secret_sealed", "previous_secret_sealed" from "webhooks"."subscription"`)) as {
        id: string;
        secret_key_id: string;
        secret_sealed: Buffer;
        previous_secret_sealed: Buffer | null;
      }[];
      for (const row of rows) {
        const opened = keyring.open(row.id, { keyId: row.secret_key_id, current: row.secret_sealed, previous: row.previous_secret_sealed });
        await this.execute(`update "webhooks"."subscription" set "secret" = ?, "previous_secret" = ? where "id" = ?`, [opened.current, opened.previous, row.id]);
      }
      await this.execute(
        `alter table "webhooks"."subscription" drop column "secret_key_id", drop column "secret_sealed", drop column "previous_secret_sealed", alter column "secret" set not null;`,
      );
    }
  };
