import { Migration } from '@mikro-orm/migrations';

/**
 * Subscriptions receive what concerns their own node unless they include descendants. The
 * subscriptions already there received their descendants' events too, and keep doing so; an event
 * keeps, apart from the nodes that read it as their own, the nodes above them.
 */
export class Migration20261202100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhooks"."subscription" add column "include_descendants" boolean not null default false;`);
    this.addSql(`update "webhooks"."subscription" set "include_descendants" = true;`);
    this.addSql(`alter table "webhooks"."hub_event" add column "ancestor_ids" text[] not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhooks"."hub_event" drop column "ancestor_ids";`);
    this.addSql(`alter table "webhooks"."subscription" drop column "include_descendants";`);
  }
}
