import { Migration } from '@mikro-orm/migrations';
import type { ContactSeal } from '../domain/contact-sealing';

const SEAL_BATCH = 5000;

/**
 * Reporters' contact details sealed with REPORTER_CONTACT_KEY instead of stored in clear: the rows
 * already there are sealed here (in Node: the key never reaches the database), then the clear
 * columns go. Built around the service's seal, since the migrator constructs the class itself.
 */
export const sealReporterContacts = (seal: ContactSeal) =>
  class Migration20261124056000 extends Migration {
    override async up(): Promise<void> {
      await this.execute(`alter table "complaints"."reporter_contact" add column "sealed" bytea null;`);
      // In batches, by key: a national database holds hundreds of thousands of contacts.
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await this.execute(
          `select "complaint_id", "name", "email", "phone" from "complaints"."reporter_contact"
           where "complaint_id" > ? order by "complaint_id" limit ${SEAL_BATCH}`,
          [after],
        )) as { complaint_id: string; name: string | null; email: string | null; phone: string | null }[];
        if (rows.length === 0) break;
        await this.execute(
          `update "complaints"."reporter_contact" c set "sealed" = decode(s.sealed, 'hex')
           from jsonb_to_recordset(?::jsonb) as s(complaint_id uuid, sealed text) where c."complaint_id" = s.complaint_id`,
          [
            JSON.stringify(
              rows.map((row) => ({
                complaint_id: row.complaint_id,
                sealed: seal.seal(row.complaint_id, { name: row.name, email: row.email, phone: row.phone }).toString('hex'),
              })),
            ),
          ],
        );
        after = rows[rows.length - 1].complaint_id;
      }
      await this.execute(
        `alter table "complaints"."reporter_contact" drop column "name", drop column "email", drop column "phone", alter column "sealed" set not null;`,
      );
    }

    override async down(): Promise<void> {
      await this.execute(`alter table "complaints"."reporter_contact" add column "name" text null, add column "email" text null, add column "phone" text null;`);
      const rows = (await this.execute(`select "complaint_id", "sealed" from "complaints"."reporter_contact"`)) as { complaint_id: string; sealed: Buffer }[];
      for (const row of rows) {
        const details = seal.open(row.complaint_id, row.sealed);
        await this.execute(`update "complaints"."reporter_contact" set "name" = ?, "email" = ?, "phone" = ? where "complaint_id" = ?`, [
          details.name,
          details.email,
          details.phone,
          row.complaint_id,
        ]);
      }
      await this.execute(`alter table "complaints"."reporter_contact" drop column "sealed";`);
    }
  };
