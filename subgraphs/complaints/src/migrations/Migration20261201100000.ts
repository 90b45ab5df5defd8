import { Migration } from '@mikro-orm/migrations';

/**
 * Messages to reporters. `reporter_subscription`: a complaint whose reporter left an e-mail address
 * or a phone number, and when the reporter stopped the messages. `reporter_message`: the outbox,
 * written in the transaction of the change it tells of, holding only what the text needs (the
 * notifier reads the rest, and unseals the contact, when it sends). Its id orders a complaint's
 * messages: the notifier sends one only when those before it are done.
 */
export class Migration20261201100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "complaints"."reporter_subscription" (
        "complaint_id" uuid primary key references "complaints"."complaint" ("id"),
        "created_at" timestamptz not null,
        "stopped_at" timestamptz null
      );`);
    this.addSql(`
      create table "complaints"."reporter_message" (
        "id" bigint generated always as identity primary key,
        "complaint_id" uuid not null references "complaints"."reporter_subscription" ("complaint_id"),
        "kind" text not null check ("kind" in ('RECEIVED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED')),
        "agency_id" text null,
        "follow_up_id" uuid null references "complaints"."follow_up" ("id"),
        "closed_by" text null check ("closed_by" in ('REPORTER', 'SYSTEM')),
        "created_at" timestamptz not null,
        "state" text not null default 'PENDING' check ("state" in ('PENDING', 'SENT', 'SKIPPED', 'FAILED')),
        "attempts" int not null default 0,
        "next_attempt_at" timestamptz not null,
        "delivered" text[] not null default '{}',
        "finished_at" timestamptz null,
        "last_error" text null
      );`);
    this.addSql(`create index "reporter_message_due_idx" on "complaints"."reporter_message" ("next_attempt_at", "id") where "state" = 'PENDING';`);
    this.addSql(`create index "reporter_message_complaint_idx" on "complaints"."reporter_message" ("complaint_id", "id") where "state" = 'PENDING';`);
    // Complaints still open when this ran keep their reporter informed from now on; the notifier
    // skips those whose contact holds neither an address nor a number (it cannot tell before unsealing).
    this.addSql(`
      insert into "complaints"."reporter_subscription" ("complaint_id", "created_at")
      select rc."complaint_id", now() from "complaints"."reporter_contact" rc
      join "complaints"."complaint" c on c."id" = rc."complaint_id"
      where c."status" not in ('CLOSED', 'REJECTED');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "complaints"."reporter_message";`);
    this.addSql(`drop table if exists "complaints"."reporter_subscription";`);
  }
}
