import { Migration } from '@mikro-orm/migrations';

/**
 * The escalations' GIN index without its pending list (`fastupdate = off`), as the complaints
 * schema's (its Migration20261203160000 says why): an escalation's statistics read it, and with the
 * list on, each scan also read every entry queued since the last vacuum.
 */
export class Migration20261203160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter index escalation.escalation_to_path_idx set (fastupdate = off);`);
    this.addSql(`select gin_clean_pending_list('escalation.escalation_to_path_idx'::regclass);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter index escalation.escalation_to_path_idx reset (fastupdate);`);
  }
}
