import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/** The dinas's work orders, in the node's own PostgreSQL schema. */
class Migration20261201210000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "bima_pupr";`);
    this.addSql(`
      create table "bima_pupr"."work_order" (
        "number" text primary key,
        "complaint_id" uuid not null,
        "status" text not null check ("status" in ('OPEN','SCHEDULED','DONE')),
        "scheduled_for" text null check ("scheduled_for" ~ '^\\d{4}-\\d{2}-\\d{2}$')
      );`);
    this.addSql(`create index "work_order_complaint_idx" on "bima_pupr"."work_order" ("complaint_id", "number");`);
  }
}

export const migrations: MigrationObject[] = [{ name: 'Migration20261201210000', class: Migration20261201210000 }];
