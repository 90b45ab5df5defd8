import { NATIONAL_ID, TestHub } from './support/hub';
import { MUTATIONS, submit, type Submitted } from './support/lifecycle';

/**
 * The dashboard on a seeded database: complaints moved through the workflow by the API, then every
 * figure checked against counts computed independently in SQL from the complaint's own columns
 * and its timeline (not from the columns the dashboard aggregates).
 */
let hub: TestHub;
let national: string;
const from = new Date(Date.now() - 86_400_000).toISOString();
const to = new Date(Date.now() + 86_400_000).toISOString();

async function forwarded(regionCode: string | null, agencyId: string, extra: Record<string, unknown> = {}): Promise<Submitted> {
  const complaint = await submit(hub, { regionCode, ...extra });
  await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
  await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId } }, national);
  return { ...complaint, version: 3 };
}

async function followUp(complaint: Submitted) {
  await hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: complaint.version, body: 'Ditindaklanjuti' } }, national);
  complaint.version += 1;
}

async function reply(complaint: Submitted, satisfied: boolean) {
  await hub.query(MUTATIONS.reply, { input: { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Balasan', satisfied } });
  complaint.version += 1;
}

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  // Kabupaten Bima: one closed, one disputed, one overdue, one never verified.
  const closed = await forwarded('52.06', 'region-52.06');
  await followUp(closed);
  await reply(closed, true);
  const disputed = await forwarded('52.06', 'region-52.06');
  await followUp(disputed);
  await reply(disputed, false);
  const late = await forwarded('52.06', 'region-52.06');
  await hub.sql('complaints', `update complaints.complaint set current_due_at = now() - interval '1 hour' where id = $1`, [late.id]);
  await submit(hub, { regionCode: '52.06' });
  // Kota Bima: both closed; one more rejected.
  for (let i = 0; i < 2; i++) {
    const complaint = await forwarded('52.72', 'region-52.72');
    await followUp(complaint);
    await reply(complaint, true);
  }
  const rejected = await submit(hub, { regionCode: '52.72' });
  await hub.query(MUTATIONS.reject, { input: { complaintId: rejected.id, version: 1, reason: 'Tidak jelas' } }, national);
  // The province itself, and a ministry.
  const province = await forwarded('52', 'region-52');
  await followUp(province);
  const ministryDone = await forwarded(null, 'kemenkes', { categoryId: 'HEALTH' });
  await followUp(ministryDone);
  await reply(ministryDone, true);
  await forwarded(null, 'kemenkes', { categoryId: 'HEALTH' });
  // One escalation to the province, left unanswered past its deadline.
  const escalated = await hub.query(
    `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
    { input: { complaintId: late.id, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY' } },
    national,
  );
  await hub.sql('escalation', `update escalation.escalation set respond_due_at = now() - interval '1 minute' where id = $1`, [escalated.data.escalateComplaint.escalation.id]);
});
afterAll(() => hub?.stop());

const STATS = `total forwarded closed completionRate targetCompletionRate closedByReporter closedBySystem disputed disputes
  medianWorkingDaysToFollowUp overdue { verification followUp } byStatus { status count }`;

/** Independent counts: who holds a complaint from its own columns, when it reached them from its timeline. */
async function expected(holders: string[]) {
  const [row] = await hub.sql<Record<string, number>>(
    'complaints',
    `with held as (
       select c.*, (select max(t.at) from complaints.timeline_entry t
                    where t.complaint_id = c.id and t.action in ('FORWARD', 'ESCALATION_ACCEPTED') and t.agency_id = any($1)) as received_at
       from complaints.complaint c where coalesce(c.assigned_agency_id, c.addressed_agency_id) = any($1))
     select count(*)::int as total,
            count(*) filter (where received_at is not null)::int as forwarded,
            count(*) filter (where received_at is not null and status = 'CLOSED')::int as closed,
            count(*) filter (where status = 'FORWARDED' and (select max(t.at) from complaints.timeline_entry t where t.complaint_id = held.id and t.action = 'REPLY_DISPUTED') is not null)::int as disputed
     from held`,
    [holders],
  );
  return row;
}

describe('statistics of a node', () => {
  it('counts what the regency holds, against SQL', async () => {
    const { data, errors } = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { agency(id: "region-52.06") { complaintStats(from: $from, to: $to) { ${STATS} } } }`,
      { from, to },
      await hub.token('AGENCY_ADMIN', 'region-52.06'),
    );
    expect(errors).toBeUndefined();
    const stats = data.agency.complaintStats;
    const sql = await expected(['region-52.06']);
    expect(sql).toEqual({ total: 4, forwarded: 3, closed: 1, disputed: 1 });
    expect(stats).toMatchObject({ ...sql, completionRate: 1 / 3, targetCompletionRate: 0.9, closedByReporter: 1, closedBySystem: 0, disputes: 1 });
    expect(stats.overdue).toEqual({ verification: 0, followUp: 1 });
    expect(stats.medianWorkingDaysToFollowUp).toBe(0);
    expect(stats.byStatus).toEqual([
      { status: 'CLOSED', count: 1 },
      { status: 'FORWARDED', count: 2 },
      { status: 'SUBMITTED', count: 1 },
    ]);
  });

  it('adds the escalation step from the escalation subgraph', async () => {
    const { data, errors } = await hub.query(
      `query($from: DateTime!, $to: DateTime!) {
         agency(id: "region-52") { complaintStats(from: $from, to: $to) { scope overdueEscalationResponses escalationsReceived } }
         regency: agency(id: "region-52.06") { complaintStats(from: $from, to: $to) { overdueEscalationResponses escalationsReceived } }
         nationalDashboard(from: $from, to: $to) { stats { scope overdueEscalationResponses escalationsReceived } } }`,
      { from, to },
      national,
    );
    expect(errors).toBeUndefined();
    const [{ overdue }] = await hub.sql<{ overdue: number }>('escalation', `select count(*)::int as overdue from escalation.escalation where to_agency_id = 'region-52' and status = 'OPEN' and respond_due_at < now()`);
    expect(overdue).toBe(1);
    expect(data.agency.complaintStats).toEqual({ scope: 'node:region-52', overdueEscalationResponses: overdue, escalationsReceived: 1 });
    expect(data.regency.complaintStats).toEqual({ overdueEscalationResponses: 0, escalationsReceived: 0 });
    expect(data.nationalDashboard.stats).toEqual({ scope: 'nation', overdueEscalationResponses: 1, escalationsReceived: 1 });
  });

  it('rolls a province up with its regencies and cities', async () => {
    const { data } = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { agency(id: "region-52") { own: complaintStats(from: $from, to: $to) { total forwarded closed }
         all: complaintStats(from: $from, to: $to, includeDescendants: true) { total forwarded closed completionRate } } }`,
      { from, to },
      await hub.token('DASHBOARD', NATIONAL_ID),
    );
    expect(data.agency.own).toEqual(await expected(['region-52']).then(({ total, forwarded, closed }) => ({ total, forwarded, closed })));
    const [{ ids }] = await hub.sql<{ ids: string[] }>('agencies', `select array_agg(id) as ids from agencies.agency where id = 'region-52' or parent_id = 'region-52'`);
    const rollup = await expected(ids);
    expect(data.agency.all).toEqual({ total: rollup.total, forwarded: rollup.forwarded, closed: rollup.closed, completionRate: rollup.closed / rollup.forwarded });
    expect(data.agency.all.total).toBe(8);
  });

  it('refuses statistics to the public and to unrelated nodes', async () => {
    const query = `query($from: DateTime!, $to: DateTime!) { agency(id: "region-52.06") { complaintStats(from: $from, to: $to) { total } } }`;
    expect((await hub.query(query, { from, to })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await hub.query(query, { from, to }, await hub.token('AGENCY_ADMIN', 'region-52.01'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await hub.query(query, { from: to, to: from }, national)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});

describe('the national dashboard', () => {
  it('gives the nation’s figures and the rankings by completion rate', async () => {
    const { data, errors } = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
         stats { total forwarded closed completionRate }
         provinces { rank agency { id } forwarded closed completionRate }
         regenciesAndCities { rank agency { id name } forwarded closed completionRate }
         ministries { rank agency { id } forwarded closed completionRate } } }`,
      { from, to },
      await hub.token('DASHBOARD', NATIONAL_ID),
    );
    expect(errors).toBeUndefined();
    const [nation] = await hub.sql<{ total: number; forwarded: number; closed: number }>(
      'complaints',
      `select count(*)::int as total,
              count(*) filter (where assigned_agency_id is not null)::int as forwarded,
              count(*) filter (where assigned_agency_id is not null and status = 'CLOSED')::int as closed
       from complaints.complaint`,
    );
    expect(data.nationalDashboard.stats).toEqual({ ...nation, completionRate: nation.closed / nation.forwarded });
    expect(data.nationalDashboard.regenciesAndCities).toEqual([
      { rank: 1, agency: { id: 'region-52.72', name: 'Kota Bima' }, forwarded: 2, closed: 2, completionRate: 1 },
      { rank: 2, agency: { id: 'region-52.06', name: 'Kabupaten Bima' }, forwarded: 3, closed: 1, completionRate: 1 / 3 },
    ]);
    expect(data.nationalDashboard.provinces).toEqual([{ rank: 1, agency: { id: 'region-52' }, forwarded: 1, closed: 0, completionRate: 0 }]);
    expect(data.nationalDashboard.ministries).toEqual([{ rank: 1, agency: { id: 'kemenkes' }, forwarded: 2, closed: 1, completionRate: 0.5 }]);
  });

  it('is for the national admin and dashboard clients only', async () => {
    const query = `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) { stats { total } } }`;
    expect((await hub.query(query, { from, to }, await hub.token('AGENCY_ADMIN', 'region-52'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await hub.query(query, { from, to }, national)).errors).toBeUndefined();
  });
});

describe('by region', () => {
  const DASHBOARD = `query($from: DateTime!, $to: DateTime!, $region: String) { nationalDashboard(from: $from, to: $to, regionCode: $region) {
    stats { scope total forwarded closed completionRate overdue { verification followUp } overdueEscalationResponses }
    provinces { rank agency { id } forwarded closed }
    regenciesAndCities { rank agency { id } forwarded closed }
    ministries { rank agency { id } forwarded closed } } }`;

  /** The complaints about a region, counted from their own columns. */
  async function about(prefix: string) {
    const [row] = await hub.sql<{ total: number; forwarded: number; closed: number }>(
      'complaints',
      `select count(*)::int as total,
              count(*) filter (where assigned_agency_id is not null)::int as forwarded,
              count(*) filter (where assigned_agency_id is not null and status = 'CLOSED')::int as closed
       from complaints.complaint where region_code = $1 or region_code like $1 || '.%'`,
      [prefix],
    );
    return row;
  }

  it('restricts the figures and the rankings to the complaints about a province or a regency, in one statement per figure set', async () => {
    const dashboard = await hub.token('DASHBOARD', NATIONAL_ID);
    hub.sqlCounter.reset();
    const nation = await hub.query(DASHBOARD, { from, to }, dashboard);
    const nationStatements = hub.sqlCounter.count('complaints');
    expect(nation.errors).toBeUndefined();

    hub.sqlCounter.reset();
    const regency = await hub.query(DASHBOARD, { from, to, region: '52.06' }, dashboard);
    expect(regency.errors).toBeUndefined();
    // The figures, the ratings, the ranking and the rankings' ratings: one statement each, as for the nation.
    expect(hub.sqlCounter.count('complaints')).toBe(4);
    expect(nationStatements).toBe(4);
    const bima = await about('52.06');
    expect(bima).toEqual({ total: 4, forwarded: 3, closed: 1 });
    expect(regency.data.nationalDashboard.stats).toEqual({
      scope: 'nation;region:52.06',
      ...bima,
      completionRate: 1 / 3,
      overdue: { verification: 0, followUp: 1 },
      // Escalations keep no place: no region's figure is made up for them.
      overdueEscalationResponses: null,
    });
    expect(regency.data.nationalDashboard).toMatchObject({
      provinces: [],
      regenciesAndCities: [{ rank: 1, agency: { id: 'region-52.06' }, forwarded: 3, closed: 1 }],
      ministries: [],
    });

    const province = await hub.query(DASHBOARD, { from, to, region: '52' }, dashboard);
    expect(province.errors).toBeUndefined();
    const ntb = await about('52');
    expect(ntb.total).toBe(8);
    expect(province.data.nationalDashboard.stats).toMatchObject({ scope: 'nation;region:52', ...ntb, completionRate: ntb.closed / ntb.forwarded });
    expect(province.data.nationalDashboard.regenciesAndCities).toEqual([
      { rank: 1, agency: { id: 'region-52.72' }, forwarded: 2, closed: 2 },
      { rank: 2, agency: { id: 'region-52.06' }, forwarded: 3, closed: 1 },
    ]);
    expect(province.data.nationalDashboard.provinces).toEqual([{ rank: 1, agency: { id: 'region-52' }, forwarded: 1, closed: 0 }]);
    // The ministry's complaints name no region: none is about Nusa Tenggara Barat.
    expect(province.data.nationalDashboard.ministries).toEqual([]);
  });

  it('restricts a node’s statistics to a district', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    await submit(hub, { regionCode: '52.06', districtCode: '52.06.01' });
    const query = `query($from: DateTime!, $to: DateTime!, $region: String) { agency(id: "region-52.06") {
      complaintStats(from: $from, to: $to, regionCode: $region) { scope total byStatus { status count } } } }`;
    const [{ n }] = await hub.sql<{ n: number }>('complaints', `select count(*)::int as n from complaints.complaint where district_code = '52.06.01'`);
    expect(n).toBe(1);
    hub.sqlCounter.reset();
    const district = await hub.query(query, { from, to, region: '52.06.01' }, admin);
    expect(district.errors).toBeUndefined();
    expect(hub.sqlCounter.count('complaints')).toBe(2);
    expect(district.data.agency.complaintStats).toEqual({ scope: 'node:region-52.06;region:52.06.01', total: 1, byStatus: [{ status: 'SUBMITTED', count: 1 }] });
    const whole = await hub.query(query, { from, to }, admin);
    expect(whole.data.agency.complaintStats).toMatchObject({ scope: 'node:region-52.06', total: 5 });
  });

  it('refuses a code that is no official region, naming the field', async () => {
    const dashboard = await hub.token('DASHBOARD', NATIONAL_ID);
    for (const region of ['99', '52.99', '52.06.01', 'x', "52' or 1=1", '']) {
      const refused = await hub.query(DASHBOARD, { from, to, region }, dashboard);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    }
    const stats = `query($from: DateTime!, $to: DateTime!, $region: String) { agency(id: "region-52.06") { complaintStats(from: $from, to: $to, regionCode: $region) { total } } }`;
    for (const region of ['52.06.99', '52.06.01.2001']) {
      const refused = await hub.query(stats, { from, to, region }, national);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    }
  });
});
