import { Migration } from '@mikro-orm/migrations';

/**
 * Search, place and rating.
 *
 * Search: a stored `tsvector` of title (weight A) and body (B) in the `indonesian` text search
 * configuration (its stemmer makes "jalannya" and "jalan" one lexeme), under a GIN index; typos
 * are caught on the title by `pg_trgm`'s word similarity, under a trigram GIN index. The public
 * listing walks a partial index of the complaints the public may read, newest first.
 *
 * Place: district (kecamatan) and village (desa/kelurahan) codes of `idn-area-data`, and an
 * optional point; routing stays by `region_code` (the regency).
 *
 * Rating: one per follow-up (its primary key), given with the reporter's reply, counted for the
 * node that held the complaint when it was given. A tally per home node, UTC month and rating,
 * kept by a trigger in the inserting transaction, serves whole months to the dashboard, as the
 * complaint tallies do (Migration20261124070000); the rows themselves, through a covering index,
 * serve a period's edges. Ratings are only ever inserted: a trigger refuses the rest, so the tally
 * cannot drift.
 */
export class Migration20261201150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`
      alter table complaints.complaint
        add column district_code text null,
        add column village_code text null,
        add column latitude double precision null,
        add column longitude double precision null,
        add column search_vector tsvector generated always as (
          setweight(to_tsvector('indonesian', title), 'A') || setweight(to_tsvector('indonesian', body), 'B')
        ) stored;`);
    this.addSql(`create index complaint_search_idx on complaints.complaint using gin (search_vector);`);
    this.addSql(`create index complaint_title_trgm_idx on complaints.complaint using gin (title gin_trgm_ops);`);
    this.addSql(`create index complaint_public_idx on complaints.complaint (submitted_at desc, id desc) where not confidential and not supervisory;`);
    this.addSql(`create index complaint_district_idx on complaints.complaint (district_code, submitted_at desc, id desc) where district_code is not null;`);

    this.addSql(`
      create table complaints.rating (
        follow_up_id uuid primary key,
        complaint_id uuid not null,
        rating smallint not null check (rating between 1 and 5),
        rated_at timestamptz not null,
        holder_home_id text null,
        holder_home_kind text null,
        holder_path text[] not null
      );`);
    this.addSql(`create index rating_complaint_idx on complaints.rating (complaint_id);`);
    this.addSql(`create index rating_rated_idx on complaints.rating (rated_at) include (rating, holder_home_id, holder_home_kind);`);
    this.addSql(`
      create table complaints.rating_month_tally (
        month date not null,
        home_id text null,
        home_kind text null,
        home_path text[] not null,
        rating smallint not null,
        ratings int not null
      ) with (fillfactor = 50);`);
    this.addSql(`create unique index rating_month_tally_key on complaints.rating_month_tally (month, home_id, home_kind, home_path, rating) nulls not distinct;`);
    this.addSql(`create index rating_month_tally_home_idx on complaints.rating_month_tally (home_id, month);`);
    this.addSql(`create index rating_month_tally_path_idx on complaints.rating_month_tally using gin (home_path);`);
    this.addSql(`
      create function complaints.tally_ratings() returns trigger language plpgsql as $$
      begin
        insert into complaints.rating_month_tally as t (month, home_id, home_kind, home_path, rating, ratings)
        select complaints.utc_month(rated_at), holder_home_id, holder_home_kind, complaints.home_path(holder_path, holder_home_id), rating, count(*)
        from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
        on conflict (month, home_id, home_kind, home_path, rating) do update set ratings = t.ratings + excluded.ratings;
        return null;
      end $$;`);
    this.addSql(`
      create trigger rating_tally after insert on complaints.rating
      referencing new table as new_rows for each statement execute function complaints.tally_ratings();`);
    this.addSql(`
      create function complaints.refuse_rating_change() returns trigger language plpgsql as $$
      begin
        raise exception 'ratings are only ever inserted';
      end $$;`);
    this.addSql(`
      create trigger rating_append_only before update or delete on complaints.rating
      for each row execute function complaints.refuse_rating_change();`);
    this.addSql(`
      create trigger rating_no_truncate before truncate on complaints.rating
      for each statement execute function complaints.refuse_rating_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table complaints.rating_month_tally;`);
    this.addSql(`drop table complaints.rating;`);
    this.addSql(`drop function complaints.refuse_rating_change();`);
    this.addSql(`drop function complaints.tally_ratings();`);
    this.addSql(`drop index complaints.complaint_district_idx;`);
    this.addSql(`drop index complaints.complaint_public_idx;`);
    this.addSql(`drop index complaints.complaint_title_trgm_idx;`);
    this.addSql(`drop index complaints.complaint_search_idx;`);
    this.addSql(`
      alter table complaints.complaint
        drop column search_vector, drop column longitude, drop column latitude, drop column village_code, drop column district_code;`);
  }
}
