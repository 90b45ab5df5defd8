import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicates and "me too". A complaint closed as a duplicate names its original
 * (`duplicate_of_id`, indexed for the original's list of duplicates) and records `DUPLICATE` as
 * its closer. The candidates of a complaint are the open ones of its region submitted in the last
 * 30 days, read through a partial index of the open complaints by region and time.
 *
 * A support ("me too", dukung) is a row of its own, keyed per complaint by the supporter's
 * idempotency key (a retry adds nothing); a supporter's contact is sealed like a reporter's.
 * `supportCount` counts the rows (indexed by complaint), so a support never writes the
 * complaint's row: it moves no version and takes no lock an officer's step would wait on.
 */
export class Migration20261201160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table complaints.complaint add column duplicate_of_id uuid null;`);
    this.addSql(`alter table complaints.complaint drop constraint complaint_closed_by_check;`);
    this.addSql(`alter table complaints.complaint add constraint complaint_closed_by_check check (closed_by in ('REPORTER', 'SYSTEM', 'DUPLICATE'));`);
    this.addSql(`create index complaint_duplicate_of_idx on complaints.complaint (duplicate_of_id) where duplicate_of_id is not null;`);
    this.addSql(`
      create index complaint_open_region_idx on complaints.complaint (region_code, submitted_at)
      where status in ('SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP');`);
    this.addSql(`
      create table complaints.support (
        id uuid primary key,
        complaint_id uuid not null,
        idempotency_key uuid not null,
        sealed bytea null,
        created_at timestamptz not null,
        unique (complaint_id, idempotency_key)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table complaints.support;`);
    this.addSql(`drop index complaints.complaint_open_region_idx;`);
    this.addSql(`drop index complaints.complaint_duplicate_of_idx;`);
    this.addSql(`alter table complaints.complaint drop constraint complaint_closed_by_check;`);
    this.addSql(`alter table complaints.complaint add constraint complaint_closed_by_check check (closed_by in ('REPORTER', 'SYSTEM'));`);
    this.addSql(`alter table complaints.complaint drop column duplicate_of_id;`);
  }
}
