import { Migration } from '@mikro-orm/migrations';

/** Escalations of complaints between hub nodes. */
export class Migration20261124000100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "escalation";`);
    // Complaint and agency ids belong to other subgraphs: plain text, no foreign keys.
    this.addSql(`
      create table "escalation"."escalation" (
        "id" uuid primary key,
        "complaint_id" uuid not null,
        "from_agency_id" text not null,
        "to_agency_id" text not null,
        "reason" text not null check ("reason" in ('WRONG_AGENCY','HIGHER_AUTHORITY','SUPERVISORY','NEEDS_COORDINATION',
          'SLA_BREACH','REPORTER_DISPUTE')),
        "status" text not null default 'OPEN' check ("status" in ('OPEN','ACCEPTED','DECLINED')),
        "note" text null,
        "response_note" text null,
        "created_by" text null,
        "created_at" timestamptz not null default now(),
        "responded_at" timestamptz null,
        "version" int not null default 1,
        check (("responded_at" is null) = ("status" = 'OPEN'))
      );`);
    // A complaint's escalations, oldest first.
    this.addSql(`create index "escalation_complaint_created_idx" on "escalation"."escalation" ("complaint_id", "created_at", "id");`);
    // A node's inbox and outbox by status, newest first.
    this.addSql(
      `create index "escalation_to_status_created_idx" on "escalation"."escalation" ("to_agency_id", "status", "created_at" desc, "id");`,
    );
    this.addSql(
      `create index "escalation_from_status_created_idx" on "escalation"."escalation" ("from_agency_id", "status", "created_at" desc, "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "escalation"."escalation";`);
  }
}
