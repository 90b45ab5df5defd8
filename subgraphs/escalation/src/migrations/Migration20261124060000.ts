import { Migration } from '@mikro-orm/migrations';

/**
 * Where the target node sits in the tree, so the dashboard counts a node's, a province's or the
 * nation's escalations in SQL; and reassignments the complaints service refused for good.
 */
export class Migration20261124060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "escalation"."escalation"
        add column "to_home_id" text null,
        add column "to_path" text[] not null default '{}';`);
    this.addSql(`update "escalation"."escalation" set "to_home_id" = "to_agency_id", "to_path" = array["to_agency_id"];`);
    this.addSql(`create index "escalation_to_home_idx" on "escalation"."escalation" ("to_home_id", "status", "respond_due_at");`);
    this.addSql(`create index "escalation_to_path_idx" on "escalation"."escalation" using gin ("to_path");`);
    this.addSql(`alter table "escalation"."escalation" drop constraint "escalation_reassignment_check";`);
    this.addSql(`
      alter table "escalation"."escalation" add constraint "escalation_reassignment_check"
      check ("reassignment" in ('PENDING','APPLIED','NOT_APPLIED_FINISHED','REFUSED'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "escalation"."escalation" drop column "to_home_id", drop column "to_path";`);
  }
}
