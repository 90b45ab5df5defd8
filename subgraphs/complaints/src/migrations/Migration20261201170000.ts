import { Migration } from '@mikro-orm/migrations';
import { hubEventOutboxDdl } from '@lapor-hub/lib/database';

/**
 * The outbox of what agency systems are told of complaints (webhooks). The sweep's look-up of
 * deadlines that passed uses the open complaints' `complaint_open_due_idx` (status, current_due_at).
 */
export class Migration20261201170000 extends Migration {
  override async up(): Promise<void> {
    for (const statement of hubEventOutboxDdl('complaints')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "complaints"."hub_event_outbox";`);
  }
}
