import { Migration } from '@mikro-orm/migrations';

/**
 * When the SLA sweep reported an escalation's answer deadline as passed (ESCALATION_OVERDUE): set
 * in the transaction that writes the event, so each deadline is reported once. Escalations whose
 * deadline passed more than a day before this migration count as reported: they were overdue long
 * before webhooks could say so, and a first sweep should not flood receivers with old news (the
 * complaints sweep looks back a day too).
 */
export class Migration20261202090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "escalation"."escalation" add column "overdue_reported_at" timestamptz null;`);
    this.addSql(
      `update "escalation"."escalation" set "overdue_reported_at" = "respond_due_at" where "status" = 'OPEN' and "respond_due_at" < now() - interval '1 day';`,
    );
    // The sweep's question: open, unreported, deadline passed (few at any time).
    this.addSql(`create index "escalation_overdue_unreported_idx" on "escalation"."escalation" ("respond_due_at") where "status" = 'OPEN' and "overdue_reported_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "escalation"."escalation_overdue_unreported_idx";`);
    this.addSql(`alter table "escalation"."escalation" drop column "overdue_reported_at";`);
  }
}
