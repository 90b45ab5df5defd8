import { Migration } from '@mikro-orm/migrations';

/**
 * A node's inbox and outbox as the lists read them: newest first with the id as tie-break, both
 * descending, with and without a status. Each agency's page is then an index walk that stops after
 * the page (the lateral form of `pagesByAgency`), instead of sorting every escalation of the node.
 */
export class Migration20261201000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "escalation"."escalation_to_status_created_idx";`);
    this.addSql(`drop index if exists "escalation"."escalation_from_status_created_idx";`);
    this.addSql(`create index "escalation_to_created_idx" on "escalation"."escalation" ("to_agency_id", "created_at" desc, "id" desc);`);
    this.addSql(
      `create index "escalation_to_status_created_idx" on "escalation"."escalation" ("to_agency_id", "status", "created_at" desc, "id" desc);`,
    );
    this.addSql(`create index "escalation_from_created_idx" on "escalation"."escalation" ("from_agency_id", "created_at" desc, "id" desc);`);
    this.addSql(
      `create index "escalation_from_status_created_idx" on "escalation"."escalation" ("from_agency_id", "status", "created_at" desc, "id" desc);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "escalation"."escalation_to_created_idx";`);
    this.addSql(`drop index if exists "escalation"."escalation_from_created_idx";`);
    this.addSql(`drop index if exists "escalation"."escalation_to_status_created_idx";`);
    this.addSql(`drop index if exists "escalation"."escalation_from_status_created_idx";`);
    this.addSql(`create index "escalation_to_status_created_idx" on "escalation"."escalation" ("to_agency_id", "status", "created_at" desc, "id");`);
    this.addSql(`create index "escalation_from_status_created_idx" on "escalation"."escalation" ("from_agency_id", "status", "created_at" desc, "id");`);
  }
}
