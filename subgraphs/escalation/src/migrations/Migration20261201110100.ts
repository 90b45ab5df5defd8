import { Migration } from '@mikro-orm/migrations';
import { hubEventOutboxDdl } from '@lapor-hub/lib/database';

/** The outbox of what agency systems are told of escalations (webhooks). */
export class Migration20261201110100 extends Migration {
  override async up(): Promise<void> {
    for (const statement of hubEventOutboxDdl('escalation')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "escalation"."hub_event_outbox";`);
  }
}
