import { Migration } from '@mikro-orm/migrations';

/**
 * The dashboard's escalation counts from indexes: the open escalations past their answer deadline
 * (few at any time), and those created in a period, instead of every escalation of the scope.
 */
export class Migration20261124071000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "escalation_open_due_idx" on "escalation"."escalation" ("respond_due_at") include ("to_home_id", "to_path") where "status" = 'OPEN';`);
    this.addSql(`create index "escalation_created_idx" on "escalation"."escalation" ("created_at") include ("to_home_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "escalation"."escalation_created_idx";`);
    this.addSql(`drop index if exists "escalation"."escalation_open_due_idx";`);
  }
}
