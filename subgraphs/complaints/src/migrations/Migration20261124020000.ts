import { Migration } from '@mikro-orm/migrations';

/**
 * The lifecycle: deadlines on the complaint, follow-ups, an append-only timeline, and the
 * cuti bersama days that the working-day calendar subtracts (seeded with the official 2026 list).
 */
export class Migration20261124020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "complaints"."complaint"
        add column "verify_due_at" timestamptz null,
        add column "follow_up_due_at" timestamptz null,
        add column "closes_at" timestamptz null,
        add column "current_due_at" timestamptz null,
        add column "rejection_reason" text null,
        add column "closed_by" text null check ("closed_by" in ('REPORTER','SYSTEM')),
        add column "dispute_count" int not null default 0,
        add column "supervisory" boolean not null default false;`);
    // Inboxes filter on the current step's deadline; the sweep finds what is due to close.
    this.addSql(`create index "complaint_assigned_due_idx" on "complaints"."complaint" ("assigned_agency_id", "current_due_at");`);
    this.addSql(`create index "complaint_addressed_due_idx" on "complaints"."complaint" ("addressed_agency_id", "current_due_at");`);
    this.addSql(`create index "complaint_closing_idx" on "complaints"."complaint" ("closes_at") where "status" = 'FOLLOWED_UP';`);

    this.addSql(`
      create table "complaints"."follow_up" (
        "id" uuid primary key,
        "complaint_id" uuid not null references "complaints"."complaint" ("id"),
        "agency_id" text not null,
        "author_role" text not null,
        "body" text not null check (length("body") between 1 and 4000),
        "posted_at" timestamptz not null
      );`);
    this.addSql(`create index "follow_up_complaint_idx" on "complaints"."follow_up" ("complaint_id", "posted_at", "id");`);

    this.addSql(`
      create table "complaints"."timeline_entry" (
        "id" uuid primary key,
        "complaint_id" uuid not null references "complaints"."complaint" ("id"),
        "action" text not null,
        "from_status" text null,
        "to_status" text not null,
        "actor_kind" text not null check ("actor_kind" in ('OFFICER','REPORTER','PUBLIC','SYSTEM')),
        "actor_role" text null,
        "actor_agency_id" text null,
        "agency_id" text null,
        "note" text null,
        "at" timestamptz not null
      );`);
    this.addSql(`create index "timeline_entry_complaint_idx" on "complaints"."timeline_entry" ("complaint_id", "at", "id");`);
    // The timeline is evidence: the database itself refuses to edit or delete it.
    this.addSql(`
      create function "complaints"."timeline_is_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'the complaint timeline is append-only';
      end $$;`);
    this.addSql(`
      create trigger "timeline_entry_append_only" before update or delete on "complaints"."timeline_entry"
      for each row execute function "complaints"."timeline_is_append_only"();`);

    this.addSql(`
      create table "complaints"."collective_leave_day" (
        "date" date primary key,
        "description" text not null,
        "created_at" timestamptz not null default now()
      );`);
    // Cuti bersama 2026, SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB.
    this.addSql(`
      insert into "complaints"."collective_leave_day" ("date", "description") values
        ('2026-02-16', 'Cuti bersama Tahun Baru Imlek 2577 Kongzili'),
        ('2026-03-18', 'Cuti bersama Hari Suci Nyepi Tahun Baru Saka 1948'),
        ('2026-03-23', 'Cuti bersama Idul Fitri 1447 Hijriah'),
        ('2026-03-24', 'Cuti bersama Idul Fitri 1447 Hijriah'),
        ('2026-05-15', 'Cuti bersama Kenaikan Yesus Kristus'),
        ('2026-05-28', 'Cuti bersama Idul Adha 1447 Hijriah'),
        ('2026-12-24', 'Cuti bersama Hari Raya Natal')
      on conflict do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "complaints"."collective_leave_day";`);
    this.addSql(`drop table if exists "complaints"."timeline_entry";`);
    this.addSql(`drop function if exists "complaints"."timeline_is_append_only"();`);
    this.addSql(`drop table if exists "complaints"."follow_up";`);
  }
}
