import { Migration } from '@mikro-orm/migrations';

/** Subscriptions, the events the other subgraphs report, and one delivery per event and subscription. */
export class Migration20261201100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "webhooks";`);
    this.addSql(`
      create table "webhooks"."subscription" (
        "id" uuid primary key,
        "agency_id" text not null,
        "url" text not null,
        "events" text[] not null check (cardinality("events") > 0),
        "description" text null,
        "secret" text not null,
        "previous_secret" text null,
        "previous_secret_expires_at" timestamptz null,
        "inspectorate" boolean not null,
        "active" boolean not null default true,
        "disabled_reason" text null,
        "failing_since" timestamptz null,
        "created_by" text not null,
        "created_by_role" text not null,
        "created_at" timestamptz not null
      );`);
    this.addSql(`create index "subscription_agency_idx" on "webhooks"."subscription" ("agency_id", "created_at", "id");`);
    this.addSql(`
      create table "webhooks"."hub_event" (
        "id" uuid primary key,
        "type" text not null,
        "occurred_at" timestamptz not null,
        "agency_ids" text[] not null,
        "supervisory" boolean not null,
        "confidential" boolean not null,
        "complaint_id" uuid null,
        "escalation_id" uuid null,
        "payload" jsonb not null,
        "recorded_at" timestamptz not null
      );`);
    this.addSql(`
      create table "webhooks"."delivery" (
        "id" uuid primary key,
        -- The order deliveries were queued in: a subscription's messages of one complaint go out in it.
        "seq" bigint generated always as identity,
        "subscription_id" uuid not null references "webhooks"."subscription" ("id") on delete cascade,
        "event_id" uuid not null references "webhooks"."hub_event" ("id"),
        "event" text not null,
        "ordering_key" text not null,
        "status" text not null check ("status" in ('PENDING','DELIVERED','FAILED')),
        "attempts" int not null default 0,
        "response_status" int null,
        "last_error" text null,
        "last_attempt_at" timestamptz null,
        "next_attempt_at" timestamptz null,
        "give_up_at" timestamptz not null,
        "created_at" timestamptz not null,
        unique ("subscription_id", "event_id")
      );`);
    // The worker's claim: due pending deliveries, and the earlier pending ones of the same complaint.
    this.addSql(`create index "delivery_due_idx" on "webhooks"."delivery" ("next_attempt_at") where "status" = 'PENDING';`);
    this.addSql(`create index "delivery_order_idx" on "webhooks"."delivery" ("subscription_id", "ordering_key", "seq") where "status" = 'PENDING';`);
    // A subscription's list, newest first.
    this.addSql(`create index "delivery_list_idx" on "webhooks"."delivery" ("subscription_id", "created_at" desc, "id" desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "webhooks" cascade;`);
  }
}
