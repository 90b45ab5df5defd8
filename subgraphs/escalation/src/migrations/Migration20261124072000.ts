import { Migration } from '@mikro-orm/migrations';

/**
 * Whether an escalation is supervisory: its complaint was supervisory (a complaint about officials,
 * the Inspectorate's alone) when it was escalated, or it asks the Inspectorate to take the complaint
 * (reason SUPERVISORY). Such an escalation is read and answered by the Inspectorate and the national
 * admin only, so every list can leave it out in SQL.
 *
 * The backfill uses what this schema knows (it never reads the complaints schema): every SUPERVISORY
 * escalation, and every escalation raised after an earlier SUPERVISORY escalation of the same
 * complaint was accepted (only such an acceptance makes a complaint supervisory, and a supervisory
 * complaint stays so). An acceptance still PENDING counts, so that the backfill errs on the side of
 * hiding.
 */
export class Migration20261124072000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "escalation"."escalation" add column "supervisory" boolean not null default false;`);
    this.addSql(`
      update "escalation"."escalation" e set "supervisory" = true
      where e."reason" = 'SUPERVISORY'
         or exists (
           select 1 from "escalation"."escalation" s
           where s."complaint_id" = e."complaint_id" and s."reason" = 'SUPERVISORY' and s."status" = 'ACCEPTED'
             and s."reassignment" in ('PENDING', 'APPLIED') and s."responded_at" <= e."created_at" and s."id" <> e."id"
         );`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "escalation"."escalation" drop column if exists "supervisory";`);
  }
}
