import { Migration } from '@mikro-orm/migrations';

/**
 * What the dashboard aggregates in SQL: when the current holder received the complaint, when it
 * followed up (and after how many working days), when it closed, and where the holder sits in the
 * tree, so that a node's, a province's (with its regencies) and the nation's figures are one
 * indexed query each.
 */
export class Migration20261124050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "complaints"."complaint"
        add column "forwarded_at" timestamptz null,
        add column "followed_up_at" timestamptz null,
        add column "follow_up_working_days" int null,
        add column "closed_at" timestamptz null,
        add column "holder_home_id" text null,
        add column "holder_home_kind" text null,
        add column "holder_path" text[] not null default '{}';`);
    this.addSql(`
      update "complaints"."complaint" set
        "holder_home_id" = coalesce("assigned_agency_id", "addressed_agency_id"),
        "holder_path" = array[coalesce("assigned_agency_id", "addressed_agency_id")];`);
    this.addSql(`create index "complaint_home_forwarded_idx" on "complaints"."complaint" ("holder_home_id", "forwarded_at");`);
    this.addSql(`create index "complaint_home_submitted_idx" on "complaints"."complaint" ("holder_home_id", "submitted_at");`);
    this.addSql(`create index "complaint_holder_path_idx" on "complaints"."complaint" using gin ("holder_path");`);
    this.addSql(`create index "complaint_submitted_idx" on "complaints"."complaint" ("submitted_at");`);
    this.addSql(`create index "complaint_forwarded_idx" on "complaints"."complaint" ("forwarded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`
      alter table "complaints"."complaint"
        drop column "forwarded_at", drop column "followed_up_at", drop column "follow_up_working_days",
        drop column "closed_at", drop column "holder_home_id", drop column "holder_home_kind", drop column "holder_path";`);
  }
}
