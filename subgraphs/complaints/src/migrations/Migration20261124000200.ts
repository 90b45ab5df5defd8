import { Migration } from '@mikro-orm/migrations';

/** Complaints and their reporters' contact details (kept apart, see `ReporterContact`). */
export class Migration20261124000200 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "complaints";`);
    this.addSql(`
      create table "complaints"."complaint" (
        "id" uuid primary key,
        "tracking_id" text not null unique,
        "type" text not null check ("type" in ('COMPLAINT','ASPIRATION','INFORMATION_REQUEST')),
        "title" text not null check (length("title") between 1 and 200),
        "body" text not null check (length("body") between 1 and 4000),
        "status" text not null check ("status" in ('SUBMITTED','VERIFIED','FORWARDED','FOLLOWED_UP','CLOSED','REJECTED')),
        "channel" text not null check ("channel" in ('WEB','SMS','MOBILE','SOCIAL_MEDIA','LETTER','WALK_IN')),
        "anonymous" boolean not null,
        "confidential" boolean not null,
        "region_code" text null,
        "category_id" text null,
        "addressed_agency_id" text not null,
        "assigned_agency_id" text null,
        "reporter_token_hash" text not null,
        "idempotency_key" text null unique,
        "submission_fingerprint" text null,
        "submitted_at" timestamptz not null,
        "updated_at" timestamptz not null,
        "version" int not null default 1
      );`);
    // Agency inboxes page newest first, optionally by status.
    this.addSql(`create index "complaint_assigned_idx" on "complaints"."complaint" ("assigned_agency_id", "submitted_at" desc, "id" desc);`);
    this.addSql(`create index "complaint_assigned_status_idx" on "complaints"."complaint" ("assigned_agency_id", "status", "submitted_at" desc, "id" desc);`);
    this.addSql(`create index "complaint_addressed_idx" on "complaints"."complaint" ("addressed_agency_id", "submitted_at" desc, "id" desc);`);
    this.addSql(`create index "complaint_addressed_status_idx" on "complaints"."complaint" ("addressed_agency_id", "status", "submitted_at" desc, "id" desc);`);
    this.addSql(`
      create table "complaints"."reporter_contact" (
        "complaint_id" uuid primary key references "complaints"."complaint" ("id") on delete cascade,
        "name" text null,
        "email" text null,
        "phone" text null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "complaints"."reporter_contact";`);
    this.addSql(`drop table if exists "complaints"."complaint";`);
  }
}
