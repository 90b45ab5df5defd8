import { Migration } from '@mikro-orm/migrations';

/** The GIN indexes of the complaints schema that requests read. */
const READ_GIN_INDEXES = [
  'complaint_search_recency_idx',
  'complaint_title_trgm_idx',
  'complaint_holder_path_idx',
  'search_word_trgm_idx',
  'home_month_tally_path_idx',
  'home_follow_up_tally_path_idx',
  'rating_month_tally_path_idx',
];

/**
 * GIN indexes without their pending list (`fastupdate = off`). With it on, PostgreSQL queues each
 * new entry in a list that every scan of the index reads through until a vacuum merges it, and a
 * vacuum of a million-row table comes only after some 200,000 inserts: every submission, and every
 * tally row a change rewrites, added to what each search, inbox and dashboard read scanned. Measured
 * at 1M complaints after the benchmark's submissions (136 pending pages): each of a search's
 * slices took 10–18 ms instead of 0.1–7, "lampu jalan padam" 111 ms instead of 53. Each insert now
 * updates the index in place; the list already queued is merged here.
 */
export class Migration20261203160000 extends Migration {
  override async up(): Promise<void> {
    for (const index of READ_GIN_INDEXES) {
      this.addSql(`alter index complaints.${index} set (fastupdate = off);`);
      this.addSql(`select gin_clean_pending_list('complaints.${index}'::regclass);`);
    }
  }

  override async down(): Promise<void> {
    for (const index of READ_GIN_INDEXES) this.addSql(`alter index complaints.${index} reset (fastupdate);`);
  }
}
