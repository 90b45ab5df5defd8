import { Migration } from '@mikro-orm/migrations';

/**
 * Escalations reach complaints: the events of the escalation subgraph applied here (so that a
 * redelivered event is recognised and applied once), and the index of the breached-deadline scan.
 */
export class Migration20261124030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "complaints"."applied_event" (
        "event_id" uuid primary key,
        "escalation_id" uuid not null,
        "complaint_id" uuid not null references "complaints"."complaint" ("id"),
        "outcome" text not null check ("outcome" in ('APPLIED','NOT_APPLIED_FINISHED')),
        "applied_at" timestamptz not null
      );`);
    this.addSql(`create index "applied_event_complaint_idx" on "complaints"."applied_event" ("complaint_id");`);
    // `breachedComplaints`: forwarded complaints past their follow-up deadline, in deadline order.
    this.addSql(`create index "complaint_breached_idx" on "complaints"."complaint" ("follow_up_due_at", "id") where "status" = 'FORWARDED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "complaints"."complaint_breached_idx";`);
    this.addSql(`drop table if exists "complaints"."applied_event";`);
  }
}
