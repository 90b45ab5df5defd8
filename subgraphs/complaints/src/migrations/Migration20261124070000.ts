import { Migration } from '@mikro-orm/migrations';

// What a change of complaints adds to the tallies is computed from these columns of each changed
// row, read as `change(sign, …)`: -1 for the row as it was, +1 for the row as it is now.
const TALLIED_COLUMNS = [
  'holder_home_id',
  'holder_home_kind',
  'holder_path',
  'status',
  'closed_by',
  'dispute_count',
  'submitted_at',
  'forwarded_at',
  'followed_up_at',
  'follow_up_working_days',
];

const MONTH_MEASURES = [
  'status_submitted',
  'status_verified',
  'status_forwarded',
  'status_followed_up',
  'status_closed',
  'status_rejected',
  'forwarded',
  'closed',
  'closed_by_reporter',
  'closed_by_system',
  'disputed',
  'disputes',
];

const HOME_KEY = ['month', 'home_id', 'home_kind', 'home_path'];
const FOLLOW_UP_KEY = ['home_id', 'home_kind', 'home_path', 'month', 'working_days'];

const signed = (alias: string, sign: number) => `select ${sign}, ${TALLIED_COLUMNS.map((column) => `${alias}.${column}`).join(', ')}`;

/**
 * The statements that add the signed rows of `change` to the three tallies. Each aggregates the
 * change per key and upserts in key order, so that two statements touching the same tally rows
 * lock them in the same order (no deadlock between, say, two closing sweeps), and skips keys whose
 * contributions cancel out (a step that moved nothing tallied locks nothing).
 */
function addToTallies(change: string): string[] {
  const withChange = `with change (sign, ${TALLIED_COLUMNS.join(', ')}) as (${change})`;
  const home = `holder_home_id, holder_home_kind, complaints.home_path(holder_path, holder_home_id)`;
  const onStatus = (status: string) => `(status = '${status}')::int`;
  return [
    `${withChange},
     entry (sign, home_id, home_kind, home_path, month, ${MONTH_MEASURES.join(', ')}) as (
       select sign, ${home}, complaints.utc_month(submitted_at),
              ${['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'].map(onStatus).join(', ')},
              0, 0, 0, 0, 0, 0
       from change
       union all
       select sign, ${home}, complaints.utc_month(forwarded_at), 0, 0, 0, 0, 0, 0,
              1, ${onStatus('CLOSED')}, (closed_by is not distinct from 'REPORTER')::int, (closed_by is not distinct from 'SYSTEM')::int,
              (dispute_count > 0)::int, dispute_count
       from change where forwarded_at is not null)
     insert into complaints.home_month_tally as t (${HOME_KEY.join(', ')}, ${MONTH_MEASURES.join(', ')})
     select ${HOME_KEY.join(', ')}, ${MONTH_MEASURES.map((measure) => `sum(sign * ${measure})`).join(', ')}
     from entry group by ${HOME_KEY.join(', ')}
     having ${MONTH_MEASURES.map((measure) => `sum(sign * ${measure}) <> 0`).join(' or ')}
     order by ${HOME_KEY.join(', ')}
     on conflict (${HOME_KEY.join(', ')}) do update set ${MONTH_MEASURES.map((measure) => `${measure} = t.${measure} + excluded.${measure}`).join(', ')}`,
    `${withChange}
     insert into complaints.home_follow_up_tally as t (${FOLLOW_UP_KEY.join(', ')}, complaints)
     select ${home}, complaints.utc_month(followed_up_at), follow_up_working_days, sum(sign)
     from change where followed_up_at is not null and follow_up_working_days is not null
     group by 1, 2, 3, 4, 5 having sum(sign) <> 0 order by 1, 2, 3, 4, 5
     on conflict (${FOLLOW_UP_KEY.join(', ')}) do update set complaints = t.complaints + excluded.complaints`,
    `${withChange}
     insert into complaints.nation_follow_up_tally as t (month, working_days, complaints)
     select complaints.utc_month(followed_up_at), follow_up_working_days, sum(sign)
     from change where followed_up_at is not null and follow_up_working_days is not null
     group by 1, 2 having sum(sign) <> 0 order by 1, 2
     on conflict (month, working_days) do update set complaints = t.complaints + excluded.complaints`,
  ];
}

const TALLIES = ['complaints.home_month_tally', 'complaints.home_follow_up_tally', 'complaints.nation_follow_up_tally'];

/**
 * The dashboard's figures at national volume. A year of a million complaints is too much to
 * aggregate per request, so the additive figures are kept in tallies per holder home node and UTC
 * month, maintained by triggers in the transaction that changes a complaint (exact at every
 * commit, no refresh job): by the month submitted, how many are now in each status; by the month
 * the holder received them, how many it closed (and how), and how many were disputed; by the month
 * followed up, how many took each number of working days (a histogram: the median stays exact),
 * also for the nation as a whole. A period reads its whole months from the tallies and its edges
 * from the complaints through covering indexes; the overdue counts (relative to now) read partial
 * indexes of the open complaints.
 *
 * A tally row is keyed by the home node, not the holder: a busy regency's thirty units would
 * multiply the rows a national read sums. So its path is the holder's path without a leading
 * unit (`home_path`), and a unit's own figures are read from the complaints (a unit holds few).
 * Submissions lock the row of their node and month until they commit: at 500 submissions a
 * second the busiest regency (4.5% of them) takes ~23 a second, which one row absorbs; a nation
 * row for submissions would take all 500, so the nation is summed from the homes (~9,000 rows
 * a year). Only the follow-up histogram has a nation tally: summed from the homes it is ~90,000
 * rows a year, and follow-ups spread over dozens of working-day values.
 */
export class Migration20261124070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function complaints.utc_month(at timestamptz) returns date language sql immutable parallel safe
      as $$ select date_trunc('month', at at time zone 'UTC')::date $$;`);
    // The holder's scopes as the tallies key them: a unit's path without the unit itself.
    this.addSql(`
      create function complaints.home_path(holder_path text[], holder_home_id text) returns text[] language sql immutable parallel safe
      as $$ select case when holder_path[1] is distinct from holder_home_id then holder_path[2:] else holder_path end $$;`);

    // Home and kind are null on no complaint the services write, but a tally must count every row.
    // Half of each page is left free: a row's counts change all the time, its key never, so the
    // update stays on the page and touches no index (HOT).
    this.addSql(`
      create table complaints.home_month_tally (
        month date not null,
        home_id text null,
        home_kind text null,
        home_path text[] not null,
        ${MONTH_MEASURES.map((measure) => `${measure} int not null`).join(',\n        ')}
      ) with (fillfactor = 50);`);
    // By month for the nation and the rankings, by home for a node, by path for a subtree.
    this.addSql(`create unique index home_month_tally_key on complaints.home_month_tally (${HOME_KEY.join(', ')}) nulls not distinct;`);
    this.addSql(`create index home_month_tally_home_idx on complaints.home_month_tally (home_id, month);`);
    this.addSql(`create index home_month_tally_path_idx on complaints.home_month_tally using gin (home_path);`);
    // Read for a node or a subtree only (the nation has its own), so keyed by home first.
    this.addSql(`
      create table complaints.home_follow_up_tally (
        home_id text null,
        home_kind text null,
        home_path text[] not null,
        month date not null,
        working_days int not null,
        complaints int not null
      ) with (fillfactor = 50);`);
    this.addSql(
      `create unique index home_follow_up_tally_key on complaints.home_follow_up_tally (${FOLLOW_UP_KEY.join(', ')}) nulls not distinct;`,
    );
    this.addSql(`create index home_follow_up_tally_path_idx on complaints.home_follow_up_tally using gin (home_path);`);
    this.addSql(`
      create table complaints.nation_follow_up_tally (
        month date not null,
        working_days int not null,
        complaints int not null,
        primary key (month, working_days)
      ) with (fillfactor = 50);`);

    // Transition tables exist per event (an insert has no old rows), hence a branch per event.
    const [inserted, updated, deleted] = [
      signed('n', 1) + ' from new_rows n',
      `${signed('o', -1)} from old_rows o union all ${signed('n', 1)} from new_rows n`,
      signed('o', -1) + ' from old_rows o',
    ].map((change) => addToTallies(change).join(';\n'));
    this.addSql(`
      create function complaints.tally_complaint_changes() returns trigger language plpgsql as $$
      begin
        if TG_OP = 'INSERT' then
          ${inserted};
        elsif TG_OP = 'UPDATE' then
          ${updated};
        elsif TG_OP = 'DELETE' then
          ${deleted};
        else
          truncate ${TALLIES.join(', ')};
        end if;
        return null;
      end $$;`);
    for (const event of ['insert', 'update', 'delete']) {
      const transitions = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' }[event];
      this.addSql(`
        create trigger complaint_tallies_${event} after ${event} on complaints.complaint
        referencing ${transitions} for each statement execute function complaints.tally_complaint_changes();`);
    }
    this.addSql(`
      create trigger complaint_tallies_truncate after truncate on complaints.complaint
      for each statement execute function complaints.tally_complaint_changes();`);

    // A bulk load with the triggers off (the benchmark's generator) refills the tallies with this.
    this.addSql(`
      create function complaints.rebuild_complaint_tallies() returns void language plpgsql as $$
      begin
        truncate ${TALLIES.join(', ')};
        ${addToTallies(`${signed('c', 1)} from complaints.complaint c`).join(';\n')};
      end $$;`);
    this.addSql(`select complaints.rebuild_complaint_tallies();`);

    // The edges of a period, read from the index alone (figures and rankings need no other column).
    this.addSql(`drop index complaints.complaint_submitted_idx;`);
    this.addSql(`drop index complaints.complaint_forwarded_idx;`);
    this.addSql(`create index complaint_submitted_idx on complaints.complaint (submitted_at) include (status, holder_home_id, holder_home_kind);`);
    this.addSql(`
      create index complaint_forwarded_idx on complaints.complaint (forwarded_at)
      include (status, closed_by, dispute_count, holder_home_id, holder_home_kind) where forwarded_at is not null;`);
    this.addSql(`
      create index complaint_followed_up_idx on complaints.complaint (followed_up_at)
      include (follow_up_working_days, holder_home_id) where followed_up_at is not null;`);
    // Overdue now, from the open complaints past their deadline only: all of them for the nation
    // or a subtree (index alone), a node's own for a node.
    const open = `status in ('SUBMITTED', 'VERIFIED', 'FORWARDED')`;
    this.addSql(`create index complaint_open_due_idx on complaints.complaint (status, current_due_at) include (holder_path) where ${open};`);
    this.addSql(`create index complaint_open_home_due_idx on complaints.complaint (holder_home_id, status, current_due_at) where ${open};`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index complaints.complaint_open_home_due_idx;`);
    this.addSql(`drop index complaints.complaint_open_due_idx;`);
    this.addSql(`drop index complaints.complaint_followed_up_idx;`);
    this.addSql(`drop index complaints.complaint_forwarded_idx;`);
    this.addSql(`drop index complaints.complaint_submitted_idx;`);
    this.addSql(`create index complaint_submitted_idx on complaints.complaint (submitted_at);`);
    this.addSql(`create index complaint_forwarded_idx on complaints.complaint (forwarded_at);`);
    for (const event of ['insert', 'update', 'delete', 'truncate']) this.addSql(`drop trigger complaint_tallies_${event} on complaints.complaint;`);
    this.addSql(`drop function complaints.rebuild_complaint_tallies();`);
    this.addSql(`drop function complaints.tally_complaint_changes();`);
    this.addSql(`drop table ${TALLIES.join(', ')};`);
    this.addSql(`drop function complaints.home_path(text[], text);`);
    this.addSql(`drop function complaints.utc_month(timestamptz);`);
  }
}
