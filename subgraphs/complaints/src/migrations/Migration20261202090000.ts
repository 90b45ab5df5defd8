import { Migration } from '@mikro-orm/migrations';

/**
 * Supporters are told what the reporter is told. A supporter who left a contact is a recipient of
 * the outbox beside the reporter: a message names its supporter (`support_id`; null is the
 * reporter), and a supporter stops their own messages (`support.stopped_at`) as the reporter
 * stops theirs. A supporter's message needs no reporter subscription, so a message now belongs to
 * its complaint rather than to the reporter's subscription.
 */
export class Migration20261202090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table complaints.support add column stopped_at timestamptz null;`);
    this.addSql(`alter table complaints.reporter_message add column support_id uuid null references complaints.support (id);`);
    this.addSql(`alter table complaints.reporter_message drop constraint reporter_message_complaint_id_fkey;`);
    this.addSql(`
      alter table complaints.reporter_message add constraint reporter_message_complaint_id_fkey
      foreign key (complaint_id) references complaints.complaint (id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from complaints.reporter_message where support_id is not null;`);
    this.addSql(`alter table complaints.reporter_message drop constraint reporter_message_complaint_id_fkey;`);
    this.addSql(`
      alter table complaints.reporter_message add constraint reporter_message_complaint_id_fkey
      foreign key (complaint_id) references complaints.reporter_subscription (complaint_id);`);
    this.addSql(`alter table complaints.reporter_message drop column support_id;`);
    this.addSql(`alter table complaints.support drop column stopped_at;`);
  }
}
