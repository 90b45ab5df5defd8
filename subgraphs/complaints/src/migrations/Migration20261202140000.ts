import { Migration } from '@mikro-orm/migrations';

/**
 * Search within the newest matches, and typos through a word list.
 *
 * A search ranks the newest matches of its words (`SEARCH_WINDOW`). The words' GIN index alone
 * gives every match in no order, so a common word made the database fetch and sort tens of
 * thousands of rows, and a walk newest first met as many non-matching ones. The words' index now
 * also holds each complaint's UTC day and month (`search_recency`: day numbers since the epoch, and
 * 1,000,000 + 12 × year + month − 1): a search asks for its words within a few recent days first,
 * then older days and months (`SearchRepository`), each one exact key the index intersects with
 * the words without visiting the rows. It answers the words alone as well, so it replaces the
 * words-only index.
 *
 * Typos: the distinct words (as the `simple` configuration splits and lowercases them) of every
 * complaint's title and body, under a trigram index, so that a query's words are matched to the
 * nearest known words in a table of thousands rather than against a million titles. Titles and
 * bodies never change after submission: insertion alone adds words. A word stays when its
 * complaints go; it can only suggest an alternative, never a complaint.
 */
export class Migration20261202140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function complaints.search_recency(at timestamptz) returns int[] language sql immutable parallel safe as $$
        select array[
          floor(extract(epoch from at) / 86400)::int,
          1000000 + (extract(year from at at time zone 'UTC') * 12 + extract(month from at at time zone 'UTC') - 1)::int
        ]
      $$;`);
    this.addSql(`create index complaint_search_recency_idx on complaints.complaint using gin (search_vector, complaints.search_recency(submitted_at));`);
    this.addSql(`drop index complaints.complaint_search_idx;`);

    this.addSql(`create aggregate complaints.any_of(tsquery) (sfunc = tsquery_or, stype = tsquery);`);
    this.addSql(`create aggregate complaints.all_of(tsquery) (sfunc = tsquery_and, stype = tsquery);`);
    this.addSql(`create table complaints.search_word (word text primary key);`);
    this.addSql(`create index search_word_trgm_idx on complaints.search_word using gin (word gin_trgm_ops);`);
    // A function, so that a bulk load that skips the trigger (the benchmark's generator) fills the list as this does.
    this.addSql(`
      create function complaints.rebuild_search_words() returns void language sql as $$
        insert into complaints.search_word (word)
        select distinct unnest(tsvector_to_array(to_tsvector('simple', title || ' ' || body))) from complaints.complaint
        on conflict do nothing
      $$;`);
    this.addSql(`select complaints.rebuild_search_words();`);
    this.addSql(`
      create function complaints.add_search_words() returns trigger language plpgsql as $$
      begin
        -- In order, so that two submissions bringing the same new words never wait on each other in a cycle.
        insert into complaints.search_word (word)
        select distinct unnest(tsvector_to_array(to_tsvector('simple', title || ' ' || body))) from new_rows order by 1
        on conflict do nothing;
        return null;
      end $$;`);
    this.addSql(`
      create trigger complaint_search_words after insert on complaints.complaint
      referencing new table as new_rows for each statement execute function complaints.add_search_words();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger complaint_search_words on complaints.complaint;`);
    this.addSql(`drop function complaints.add_search_words();`);
    this.addSql(`drop function complaints.rebuild_search_words();`);
    this.addSql(`drop table complaints.search_word;`);
    this.addSql(`drop aggregate complaints.all_of(tsquery);`);
    this.addSql(`drop aggregate complaints.any_of(tsquery);`);
    this.addSql(`create index complaint_search_idx on complaints.complaint using gin (search_vector);`);
    this.addSql(`drop index complaints.complaint_search_recency_idx;`);
    this.addSql(`drop function complaints.search_recency(timestamptz);`);
  }
}
