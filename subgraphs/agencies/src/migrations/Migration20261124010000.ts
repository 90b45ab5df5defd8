import { Migration } from '@mikro-orm/migrations';

/**
 * The time zone of every node (WIB, WITA or WIT), in which its working days end. Existing rows are
 * backfilled: regional governments from their province code, units from their parent, the rest
 * (national bodies) keep the default WIB. The seeder sets the same values on every start.
 */
export class Migration20261124010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table "agencies"."agency"
        add column "time_zone" text not null default 'Asia/Jakarta'
        check ("time_zone" in ('Asia/Jakarta','Asia/Makassar','Asia/Jayapura'));`);
    this.addSql(`
      update "agencies"."agency" set "time_zone" = case
          when split_part("region_code", '.', 1) in ('51','52','53','63','64','65','71','72','73','74','75','76') then 'Asia/Makassar'
          when split_part("region_code", '.', 1) in ('81','82','91','92','93','94','95','96') then 'Asia/Jayapura'
          else 'Asia/Jakarta'
        end
      where "region_code" is not null;`);
    // Units do not nest, so one step from each unit to its parent settles them all.
    this.addSql(`
      update "agencies"."agency" as "unit" set "time_zone" = "parent"."time_zone"
      from "agencies"."agency" as "parent"
      where "unit"."parent_id" = "parent"."id" and "unit"."kind" = 'UNIT';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agencies"."agency" drop column if exists "time_zone";`);
  }
}
