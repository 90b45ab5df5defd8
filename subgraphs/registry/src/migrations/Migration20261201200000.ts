import { Migration } from '@mikro-orm/migrations';

/** The schema registry: the subgraphs, every version of each, every supergraph, and the gateways' rejections. */
export class Migration20261201200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "registry";`);
    // Agency ids belong to the agencies subgraph: plain text, no foreign keys.
    this.addSql(`
      create table "registry"."subgraph" (
        "name" text primary key,
        "kind" text not null check ("kind" in ('HUB','NODE')),
        "agency_id" text null,
        "url" text not null,
        "sdl" text not null,
        "version" int not null,
        "published_at" timestamptz not null,
        "removed_at" timestamptz null,
        check (("kind" = 'HUB') = ("agency_id" is null))
      );`);
    // `Agency.subgraph`: one subgraph per node in the supergraph at a time (a removed one keeps its row).
    this.addSql(`create unique index "subgraph_agency_idx" on "registry"."subgraph" ("agency_id") where "agency_id" is not null and "removed_at" is null;`);
    this.addSql(`
      create table "registry"."subgraph_version" (
        "id" uuid primary key,
        "subgraph_name" text not null references "registry"."subgraph" ("name"),
        "version" int not null,
        "url" text not null,
        "sdl" text not null,
        "published_by" text not null,
        "published_by_role" text not null,
        "published_by_agency_id" text not null,
        "published_at" timestamptz not null default now(),
        unique ("subgraph_name", "version")
      );`);
    this.addSql(`
      create table "registry"."supergraph_version" (
        "version" int primary key,
        "sdl" text not null,
        "subgraphs" jsonb not null,
        "composed_at" timestamptz not null default now(),
        "cause" text not null,
        "composed_by" text not null
      );`);
    this.addSql(`
      create table "registry"."supergraph_rejection" (
        "id" uuid primary key,
        "version" int not null references "registry"."supergraph_version" ("version"),
        "gateway" text not null,
        "reason" text not null,
        "rejected_at" timestamptz not null default now()
      );`);
    // The history is the record of who changed the hub's API: it is never edited.
    this.addSql(`
      create function "registry"."refuse_history_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'registry history is append-only';
      end $$;`);
    this.addSql(`create trigger "subgraph_version_append_only" before update or delete on "registry"."subgraph_version"
      for each row execute function "registry"."refuse_history_change"();`);
    this.addSql(`create trigger "supergraph_version_append_only" before update or delete on "registry"."supergraph_version"
      for each row execute function "registry"."refuse_history_change"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "registry" cascade;`);
  }
}
