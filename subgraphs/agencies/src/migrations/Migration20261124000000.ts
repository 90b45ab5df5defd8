import { Migration } from '@mikro-orm/migrations';

/** The directory: hub nodes as a tree, and topic categories. */
export class Migration20261124000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "agencies";`);
    this.addSql(`
      create table "agencies"."agency" (
        "id" text primary key,
        "name" text not null,
        "acronym" text null,
        "kind" text not null check ("kind" in ('NATIONAL','MINISTRY','INSTITUTION','PROVINCE','REGENCY','CITY',
          'STATE_ENTERPRISE','OVERSEAS_MISSION','UNIVERSITY','UNIT')),
        "region_code" text null unique,
        "parent_id" text null references "agencies"."agency" ("id") on delete restrict,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now(),
        check (("kind" = 'NATIONAL') = ("parent_id" is null))
      );`);
    // Listing and paging go by name within a parent or a kind; search by lower-case name.
    this.addSql(`create index "agency_parent_name_idx" on "agencies"."agency" ("parent_id", "name", "id");`);
    this.addSql(`create index "agency_kind_name_idx" on "agencies"."agency" ("kind", "name", "id");`);
    this.addSql(`create index "agency_name_idx" on "agencies"."agency" ("name", "id");`);
    this.addSql(`
      create table "agencies"."category" (
        "id" text primary key,
        "name" text not null,
        "description" text not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "agencies"."category";`);
    this.addSql(`drop table if exists "agencies"."agency";`);
  }
}
