import { Migration } from '@mikro-orm/migrations';

/** The escalation workflow: answer deadlines, SLA breaches escalated once, and the outbox. */
export class Migration20261124040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "escalation"."escalation"
        add column "created_by_role" text null,
        add column "respond_due_at" timestamptz not null default now(),
        add column "responded_by" text null,
        add column "responded_by_role" text null,
        add column "breached_due_at" timestamptz null,
        add column "reassignment" text null check ("reassignment" in ('PENDING','APPLIED','NOT_APPLIED_FINISHED'));`);
    this.addSql(`alter table "escalation"."escalation" alter column "respond_due_at" drop default;`);
    // One escalation per missed deadline, however often and on however many replicas the sweep runs.
    this.addSql(`
      create unique index "escalation_sla_breach_once" on "escalation"."escalation" ("complaint_id", "breached_due_at")
      where "reason" = 'SLA_BREACH';`);
    // At most one open escalation that would move a complaint (coordination requests do not move it).
    this.addSql(`
      create unique index "escalation_one_open_move" on "escalation"."escalation" ("complaint_id")
      where "status" = 'OPEN' and "reason" <> 'NEEDS_COORDINATION';`);
    this.addSql(`
      create table "escalation"."outbox_event" (
        "id" uuid primary key,
        "type" text not null,
        "payload" jsonb not null,
        "created_at" timestamptz not null,
        "delivered_at" timestamptz null,
        "attempts" int not null default 0,
        "next_attempt_at" timestamptz not null,
        "last_error" text null
      );`);
    this.addSql(`create index "outbox_event_pending_idx" on "escalation"."outbox_event" ("next_attempt_at") where "delivered_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "escalation"."outbox_event";`);
  }
}
