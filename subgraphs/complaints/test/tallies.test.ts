import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { NATIONAL_ID, TestHub } from '../../../test/support/hub';
import { createUnit, MUTATIONS, submit, type Submitted } from '../../../test/support/lifecycle';
import { ComplaintSchema } from '../src/entities/complaint';
import { ContactSeal } from '../src/domain/contact-sealing';
import { complaintsMigrations } from '../src/migrations';
import { closeSilentComplaints } from '../src/services/sweep';
import { planPeriod } from '../src/stats-repository';

const at = (iso: string) => new Date(iso);

describe('planPeriod', () => {
  it('reads whole UTC months from the tallies and the shorter side of each edge from the complaints', () => {
    expect(planPeriod({ from: at('2026-03-25T08:00:00Z'), to: at('2026-09-05T00:00:00Z') })).toEqual({
      months: { from: '2026-04-01', to: '2026-09-01' },
      slices: [
        { from: at('2026-03-25T08:00:00Z'), to: at('2026-04-01T00:00:00Z'), sign: 1 },
        { from: at('2026-09-01T00:00:00Z'), to: at('2026-09-05T00:00:00Z'), sign: 1 },
      ],
    });
    expect(planPeriod({ from: at('2026-03-03T00:00:00Z'), to: at('2026-09-28T23:00:00Z') })).toEqual({
      months: { from: '2026-03-01', to: '2026-10-01' },
      slices: [
        { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-03T00:00:00Z'), sign: -1 },
        { from: at('2026-09-28T23:00:00Z'), to: at('2026-10-01T00:00:00Z'), sign: -1 },
      ],
    });
    expect(planPeriod({ from: at('2026-01-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') })).toEqual({
      months: { from: '2026-01-01', to: '2027-01-01' },
      slices: [],
    });
  });

  it('takes a month less both ends for a long period inside it, and a short one from the complaints alone', () => {
    expect(planPeriod({ from: at('2026-06-02T00:00:00Z'), to: at('2026-06-29T00:00:00Z') })).toEqual({
      months: { from: '2026-06-01', to: '2026-07-01' },
      slices: [
        { from: at('2026-06-01T00:00:00Z'), to: at('2026-06-02T00:00:00Z'), sign: -1 },
        { from: at('2026-06-29T00:00:00Z'), to: at('2026-07-01T00:00:00Z'), sign: -1 },
      ],
    });
    for (const [from, to] of [
      ['2026-06-10T00:00:00Z', '2026-06-12T00:00:00Z'],
      ['2026-06-28T00:00:00Z', '2026-07-03T00:00:00Z'],
    ]) {
      expect(planPeriod({ from: at(from), to: at(to) })).toEqual({ months: null, slices: [{ from: at(from), to: at(to), sign: 1 }] });
    }
  });
});

/**
 * The tallies the complaint triggers keep, after every kind of change (each workflow step through
 * the API, a holder moved to another node, the closing sweep's multi-row update, bulk SQL updates
 * of the dates, a delete): equal to the same aggregate computed afresh from the complaints, and
 * every dashboard figure equal to its direct aggregate over the complaints, for periods whose edges
 * cut through months.
 */
describe('the dashboard tallies', () => {
  let hub: TestHub;
  let orm: Orm;
  let national: string;
  let unitId: string;

  const run = async (mutation: string, input: Record<string, unknown>, token?: string) => {
    const { errors } = await hub.query(mutation, { input }, token);
    if (errors) throw new Error(JSON.stringify(errors));
  };
  const versionOf = async (complaint: Submitted) =>
    (await hub.sql<{ version: number }>('complaints', 'select version from complaints.complaint where id = $1', [complaint.id]))[0].version;
  const forward = async (complaint: Submitted, agencyId: string) =>
    run(MUTATIONS.forward, { complaintId: complaint.id, version: await versionOf(complaint), agencyId }, national);
  const followUp = async (complaint: Submitted) =>
    run(MUTATIONS.followUp, { complaintId: complaint.id, version: await versionOf(complaint), body: 'Ditindaklanjuti' }, national);
  const reply = (complaint: Submitted, satisfied: boolean) =>
    run(MUTATIONS.reply, { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Balasan', satisfied });
  const verified = async (regionCode: string, extra: Record<string, unknown> = {}) => {
    const complaint = await submit(hub, { regionCode, ...extra });
    await run(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
    return complaint;
  };

  /** Spreads the dates over 2026 in one multi-row update, so that the tallies hold many months (and some deadlines pass). */
  const spreadDates = (shift: number) =>
    hub.sql(
      'complaints',
      `update complaints.complaint c set
         submitted_at = timestamptz '2026-01-03 05:00Z' + make_interval(days => (r.n * 23 + $1) % 330, hours => r.n * 5),
         forwarded_at = case when c.forwarded_at is not null
           then timestamptz '2026-01-03 05:00Z' + make_interval(days => (r.n * 23 + $1) % 330 + r.n % 9, hours => r.n * 7) end,
         followed_up_at = case when c.followed_up_at is not null
           then timestamptz '2026-01-03 05:00Z' + make_interval(days => (r.n * 23 + $1) % 330 + r.n % 9 + r.n % 4, hours => r.n * 11) end,
         follow_up_working_days = case when c.followed_up_at is not null then (r.n * 3 + $1) % 7 end,
         current_due_at = case when c.current_due_at is not null then now() + make_interval(days => r.n % 3 - 1) end
       from (select id, row_number() over (order by tracking_id)::int as n from complaints.complaint) r
       where r.id = c.id`,
      [shift],
    );

  beforeAll(async () => {
    hub = await TestHub.start();
    orm = await openDatabase({ clientUrl: hub.databases.urls.complaints, schema: 'complaints', entities: [ComplaintSchema], migrations: complaintsMigrations(new ContactSeal(hub.secrets.reporterContactKey)), poolMax: 2 });
    national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    unitId = await createUnit(hub, 'region-52.06', 'Dinas Kesehatan');

    // Every status and step, held by Kabupaten Bima, one of its units, Kota Bima, the province and a ministry.
    await submit(hub, { regionCode: '52.06' });
    await verified('52.72');
    const rejected = await submit(hub, { regionCode: '52.72' });
    await run(MUTATIONS.reject, { complaintId: rejected.id, version: 1, reason: 'Tidak jelas' }, national);
    const inUnit = await verified('52.06');
    await forward(inUnit, 'region-52.06');
    await forward(inUnit, unitId);
    await followUp(inUnit);
    await reply(inUnit, false);
    await followUp(inUnit);
    await reply(inUnit, true);
    const closed = await verified('52.72');
    await forward(closed, 'region-52.72');
    await followUp(closed);
    await reply(closed, true);
    const leftToTheSweep = await verified('52.06');
    await forward(leftToTheSweep, 'region-52.06');
    await followUp(leftToTheSweep);
    await reply(leftToTheSweep, false);
    await followUp(leftToTheSweep);
    const movedUp = await verified('52.72');
    await forward(movedUp, 'region-52.72');
    await forward(movedUp, 'region-52');
    await followUp(movedUp);
    const disputed = await verified('52.06');
    await forward(disputed, 'region-52.06');
    await followUp(disputed);
    await reply(disputed, false);
    await forward(await verified('52.72'), 'region-52.72');
    for (const categoryId of ['HEALTH', 'HEALTH', 'INFRASTRUCTURE']) {
      const complaint = await verified('52.06', { categoryId });
      await forward(complaint, categoryId === 'HEALTH' ? 'kemenkes' : 'region-52');
      await followUp(complaint);
    }
    await spreadDates(0);

    // Steps after the dates moved: the tallies must take the old months back, not today's.
    // A disputed complaint (followed up before) moves to another node, the sweep closes several at once.
    await forward(disputed, 'region-52.72');
    const late = await verified('52.06');
    await forward(late, 'region-52.06');
    await followUp(late);
    await hub.sql('complaints', `update complaints.complaint set closes_at = now() - interval '1 minute' where status = 'FOLLOWED_UP'`);
    expect(await closeSilentComplaints(orm.em.fork())).toBeGreaterThan(1);
    await spreadDates(41);
    // Deleted, as the benchmark removes its submissions (past the append-only timeline's trigger only).
    await hub.sql(
      'complaints',
      `begin;
       set local session_replication_role = replica;
       delete from complaints.timeline_entry where complaint_id = '${rejected.id}';
       delete from complaints.reporter_contact where complaint_id = '${rejected.id}';
       set local session_replication_role = origin;
       delete from complaints.complaint where id = '${rejected.id}';
       commit;`,
    );
  });
  afterAll(async () => {
    await orm?.close();
    await hub?.stop();
  });

  const statuses = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'];
  const measures = [
    ...statuses.map((status) => `status_${status.toLowerCase()}`),
    ...['forwarded', 'closed', 'closed_by_reporter', 'closed_by_system', 'disputed', 'disputes'],
  ];
  /** The month tally without the rows whose complaints all moved away (left at zero). */
  const monthTally = () =>
    hub.sql('complaints', `select * from complaints.home_month_tally where greatest(${measures.join(', ')}) > 0 order by month, home_id, home_kind, home_path`);

  it('hold what a fresh aggregate of the complaints holds', async () => {
    const month = (column: string) => `date_trunc('month', ${column} at time zone 'UTC')::date`;
    const home = `holder_home_id as home_id, holder_home_kind as home_kind,
      case when holder_path[1] is distinct from holder_home_id then holder_path[2:] else holder_path end as home_path`;
    const fresh = await hub.sql(
      'complaints',
      `select month, home_id, home_kind, home_path, ${measures.map((measure) => `sum(${measure})::int as ${measure}`).join(', ')}
       from (select ${month('submitted_at')} as month, ${home}, ${statuses.map((status) => `(status = '${status}')::int`).join(', ')}, 0, 0, 0, 0, 0, 0
             from complaints.complaint
             union all
             select ${month('forwarded_at')}, ${home}, 0, 0, 0, 0, 0, 0, 1, (status = 'CLOSED')::int, coalesce(closed_by = 'REPORTER', false)::int,
                    coalesce(closed_by = 'SYSTEM', false)::int, (dispute_count > 0)::int, dispute_count
             from complaints.complaint where forwarded_at is not null
            ) as entry (month, home_id, home_kind, home_path, ${measures.join(', ')})
       group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
    );
    expect(fresh.length).toBeGreaterThan(10);
    expect(await monthTally()).toEqual(fresh);

    const followedUp = `from complaints.complaint where followed_up_at is not null and follow_up_working_days is not null`;
    expect(await hub.sql('complaints', `select * from complaints.home_follow_up_tally where complaints <> 0 order by month, home_id, home_kind, home_path, working_days`)).toEqual(
      await hub.sql(
        'complaints',
        `select ${month('followed_up_at')} as month, ${home}, follow_up_working_days as working_days, count(*)::int as complaints
         ${followedUp} group by 1, 2, 3, 4, 5 order by month, home_id, home_kind, home_path, working_days`,
      ),
    );
    expect(await hub.sql('complaints', `select * from complaints.nation_follow_up_tally where complaints <> 0 order by 1, 2`)).toEqual(
      await hub.sql(
        'complaints',
        `select ${month('followed_up_at')} as month, follow_up_working_days as working_days, count(*)::int as complaints
         ${followedUp} group by 1, 2 order by 1, 2`,
      ),
    );
  });

  const PERIODS = [
    ['2026-03-25T08:00:00Z', '2026-09-05T00:00:00Z'],
    ['2026-03-03T00:00:00Z', '2026-09-28T23:00:00Z'],
    ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2026-06-02T00:00:00Z', '2026-06-29T00:00:00Z'],
    ['2026-06-10T00:00:00Z', '2026-06-12T00:00:00Z'],
    ['2025-12-31T17:00:00Z', '2026-12-31T16:59:59.999Z'],
  ];
  const STATS = `total forwarded closed closedByReporter closedBySystem disputed disputes medianWorkingDaysToFollowUp
    overdue { verification followUp } byStatus { status count }`;

  /** The figures as the dashboard defines them, aggregated directly over the complaints. */
  async function direct(where: string, params: unknown[], from: string, to: string) {
    const inPeriod = (column: string) => `${column} >= $1 and ${column} < $2`;
    const [row] = await hub.sql<Record<string, unknown>>(
      'complaints',
      `select count(*) filter (where ${inPeriod('submitted_at')})::int as total,
              count(*) filter (where ${inPeriod('forwarded_at')})::int as forwarded,
              count(*) filter (where ${inPeriod('forwarded_at')} and status = 'CLOSED')::int as closed,
              count(*) filter (where ${inPeriod('forwarded_at')} and closed_by = 'REPORTER')::int as "closedByReporter",
              count(*) filter (where ${inPeriod('forwarded_at')} and closed_by = 'SYSTEM')::int as "closedBySystem",
              count(*) filter (where ${inPeriod('forwarded_at')} and dispute_count > 0)::int as disputed,
              coalesce(sum(dispute_count) filter (where ${inPeriod('forwarded_at')}), 0)::int as disputes,
              percentile_cont(0.5) within group (order by follow_up_working_days) filter (where ${inPeriod('followed_up_at')}) as "medianWorkingDaysToFollowUp",
              json_build_object('verification', count(*) filter (where status in ('SUBMITTED', 'VERIFIED') and current_due_at < now()),
                                'followUp', count(*) filter (where status = 'FORWARDED' and current_due_at < now())) as overdue,
              coalesce((select json_agg(json_build_object('status', status, 'count', n) order by status)
                        from (select status, count(*) as n from complaints.complaint where ${where} and ${inPeriod('submitted_at')} group by status) s), '[]') as "byStatus"
       from complaints.complaint where ${where}`,
      [from, to, ...params],
    );
    return row;
  }

  it.each(PERIODS)('give a node, its unit, a province, a ministry and the nation exactly for %s – %s', async (from, to) => {
    const token = await hub.token('DASHBOARD', NATIONAL_ID);
    const { data, errors } = await hub.query(
      `query($from: DateTime!, $to: DateTime!, $unit: ID!) {
         regency: agency(id: "region-52.06") { complaintStats(from: $from, to: $to) { ${STATS} } }
         unit: agency(id: $unit) { complaintStats(from: $from, to: $to, includeDescendants: true) { ${STATS} } }
         province: agency(id: "region-52") { complaintStats(from: $from, to: $to, includeDescendants: true) { ${STATS} } }
         ministry: agency(id: "kemenkes") { complaintStats(from: $from, to: $to) { ${STATS} } }
         nationalDashboard(from: $from, to: $to) { stats { ${STATS} }
           provinces { agency { id } forwarded closed } regenciesAndCities { agency { id } forwarded closed } ministries { agency { id } forwarded closed } } }`,
      { from, to, unit: unitId },
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.regency.complaintStats).toEqual(await direct('holder_home_id = $3', ['region-52.06'], from, to));
    expect(data.unit.complaintStats).toEqual(await direct('holder_path @> array[$3]', [unitId], from, to));
    expect(data.province.complaintStats).toEqual(await direct('holder_path @> array[$3]', ['region-52'], from, to));
    expect(data.ministry.complaintStats).toEqual(await direct('holder_home_id = $3', ['kemenkes'], from, to));
    expect(data.nationalDashboard.stats).toEqual(await direct('true', [], from, to));

    const ranking = async (kinds: string[]) =>
      (
        await hub.sql<{ id: string; forwarded: number; closed: number }>(
          'complaints',
          `select holder_home_id as id, count(*)::int as forwarded, count(*) filter (where status = 'CLOSED')::int as closed
           from complaints.complaint where holder_home_kind = any($3) and forwarded_at >= $1 and forwarded_at < $2
           group by holder_home_id order by holder_home_id`,
          [from, to, kinds],
        )
      ).map(({ id, forwarded, closed }) => ({ agency: { id }, forwarded, closed }));
    const byId = (rows: { agency: { id: string } }[]) => [...rows].sort((a, b) => a.agency.id.localeCompare(b.agency.id));
    expect(byId(data.nationalDashboard.provinces)).toEqual(await ranking(['PROVINCE']));
    expect(byId(data.nationalDashboard.regenciesAndCities)).toEqual(await ranking(['REGENCY', 'CITY']));
    expect(byId(data.nationalDashboard.ministries)).toEqual(await ranking(['MINISTRY']));
  });

  it('take a change and its undoing as no change, and follow a truncated table', async () => {
    const before = await monthTally();
    await hub.sql('complaints', `update complaints.complaint set submitted_at = submitted_at + interval '40 days'`);
    expect(await monthTally()).not.toEqual(before);
    await hub.sql('complaints', `update complaints.complaint set submitted_at = submitted_at - interval '40 days'`);
    expect(await monthTally()).toEqual(before);

    await hub.sql('complaints', 'truncate complaints.complaint cascade');
    const [{ rows }] = await hub.sql<{ rows: number }>(
      'complaints',
      `select (select count(*) from complaints.home_month_tally) + (select count(*) from complaints.home_follow_up_tally)
              + (select count(*) from complaints.nation_follow_up_tally) as rows`,
    );
    expect(Number(rows)).toBe(0);
  });
});
