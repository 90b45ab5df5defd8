import { NATIONAL_ID, TestHub } from './support/hub';
import { MUTATIONS, submit, type Submitted } from './support/lifecycle';

/** A complaint's place below the regency, and the reporter's rating of a follow-up, through the gateway. */
let hub: TestHub;
let national: string;
const from = new Date(Date.now() - 86_400_000).toISOString();
const to = new Date(Date.now() + 86_400_000).toISOString();

const SUBMIT = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
  complaint { id regionCode districtCode villageCode location { latitude longitude } addressedAgency { id } } } }`;
const BASE = { type: 'COMPLAINT', channel: 'WEB', title: 'Jalan desa rusak', body: 'Jalan desa berlubang.' };

async function complaintCount(): Promise<number> {
  const [row] = await hub.sql<{ count: number }>('complaints', 'select count(*)::int as count from complaints.complaint');
  return row.count;
}

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
});
afterAll(() => hub?.stop());

describe('a complaint located to the district, village and point', () => {
  it('keeps the codes and the point, and still routes by the regency', async () => {
    const { data, errors } = await hub.query(SUBMIT, {
      input: { ...BASE, regionCode: '52.06', districtCode: '52.06.01', villageCode: '52.06.01.2005', location: { latitude: -8.5301, longitude: 118.6412 } },
    });
    expect(errors).toBeUndefined();
    expect(data.submitComplaint.complaint).toMatchObject({
      regionCode: '52.06',
      districtCode: '52.06.01',
      villageCode: '52.06.01.2005',
      location: { latitude: -8.5301, longitude: 118.6412 },
      addressedAgency: { id: 'region-52.06' },
    });
  });

  it('takes the district and the regency from a village alone', async () => {
    const { data, errors } = await hub.query(SUBMIT, { input: { ...BASE, villageCode: '52.06.01.2006' } });
    expect(errors).toBeUndefined();
    expect(data.submitComplaint.complaint).toMatchObject({ regionCode: '52.06', districtCode: '52.06.01', location: null, addressedAgency: { id: 'region-52.06' } });
  });

  it.each([
    ['a district of another regency', { regionCode: '52.01', districtCode: '52.06.01' }, 'input.districtCode'],
    ['a district under a province code', { regionCode: '52', districtCode: '52.06.01' }, 'input.districtCode'],
    ['a village of another district', { districtCode: '52.06.02', villageCode: '52.06.01.2005' }, 'input.villageCode'],
    ['an unknown district', { districtCode: '52.06.99' }, 'input.districtCode'],
    ['an unknown village', { villageCode: '52.06.01.9999' }, 'input.villageCode'],
    ['a malformed district', { districtCode: '52.6.1' }, 'input.districtCode'],
    ['a point outside Indonesia', { regionCode: '52.06', location: { latitude: 48.85, longitude: 2.35 } }, 'input.location.latitude'],
    ['a point in the Indian Ocean west of Sumatra', { location: { latitude: 0, longitude: 80 } }, 'input.location.longitude'],
  ])('refuses %s with BAD_USER_INPUT naming the field, storing nothing', async (_, place, field) => {
    const before = await complaintCount();
    const { errors } = await hub.query(SUBMIT, { input: { ...BASE, ...place } });
    expect(errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', field]]);
    expect(await complaintCount()).toBe(before);
  });

  it('filters an inbox by district', async () => {
    const monta = await submit(hub, { districtCode: '52.06.01' });
    const bolo = await submit(hub, { districtCode: '52.06.02' });
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const inbox = async (districtCode: string | null) => {
      const { data, errors } = await hub.query(
        `query($districtCode: String) { agency(id: "region-52.06") { addressedComplaints(districtCode: $districtCode, first: 100) { totalCount edges { node { id districtCode } } } } }`,
        { districtCode },
        admin,
      );
      expect(errors).toBeUndefined();
      return data.agency.addressedComplaints;
    };
    const montaInbox = await inbox('52.06.01');
    expect(montaInbox.edges.map((edge: any) => edge.node.id)).toContain(monta.id);
    expect(montaInbox.edges.every((edge: any) => edge.node.districtCode === '52.06.01')).toBe(true);
    expect(montaInbox.totalCount).toBe(montaInbox.edges.length);
    expect((await inbox('52.06.02')).edges.map((edge: any) => edge.node.id)).toEqual([bolo.id]);
    expect((await inbox(null)).totalCount).toBeGreaterThan(montaInbox.totalCount);
  });
});

describe('the reporter rates a follow-up', () => {
  async function forwardedTo(agencyId: string, regionCode: string): Promise<Submitted> {
    const complaint = await submit(hub, { regionCode });
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId } }, national);
    return { ...complaint, version: 3 };
  }
  async function followUp(complaint: Submitted): Promise<void> {
    const { errors } = await hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: complaint.version, body: 'Sudah diperbaiki' } }, national);
    expect(errors).toBeUndefined();
    complaint.version += 1;
  }
  const reply = (complaint: Submitted, satisfied: boolean, rating: unknown) =>
    hub.query(MUTATIONS.reply, { input: { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Balasan', satisfied, rating } });

  let bima: Submitted;

  beforeAll(async () => {
    bima = await forwardedTo('region-52.06', '52.06');
    await followUp(bima);
  });

  it.each([0, 6, 100, -1])('refuses rating %p with BAD_USER_INPUT, changing nothing', async (rating) => {
    const { errors } = await reply(bima, true, rating);
    expect(errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.rating']]);
    const [row] = await hub.sql<{ status: string; ratings: number }>(
      'complaints',
      `select status, (select count(*)::int from complaints.rating where complaint_id = $1) as ratings from complaints.complaint where id = $1`,
      [bima.id],
    );
    expect(row).toEqual({ status: 'FOLLOWED_UP', ratings: 0 });
  });

  it('keeps one rating per follow-up, and the figures and rankings count them', async () => {
    // Kabupaten Bima: 2 on the first follow-up (disputed), 5 on the second; Kota Bima: a 4.
    expect((await reply(bima, false, 2)).errors).toBeUndefined();
    bima.version += 1;
    await followUp(bima);
    expect((await reply(bima, true, 5)).errors).toBeUndefined();
    const again = await reply(bima, true, 1);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const kota = await forwardedTo('region-52.72', '52.72');
    await followUp(kota);
    expect((await reply(kota, true, 4)).errors).toBeUndefined();
    const unrated = await forwardedTo('region-52.72', '52.72');
    await followUp(unrated);
    expect((await reply(unrated, true, null)).errors).toBeUndefined();

    const ratings = await hub.sql<{ follow_up_id: string; rating: number }>(
      'complaints',
      'select follow_up_id, rating from complaints.rating where complaint_id = $1 order by rated_at',
      [bima.id],
    );
    expect(ratings.map((row) => row.rating)).toEqual([2, 5]);
    expect(new Set(ratings.map((row) => row.follow_up_id)).size).toBe(2);

    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const stats = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { agency(id: "region-52.06") { complaintStats(from: $from, to: $to) { averageRating ratings { rating count } } } }`,
      { from, to },
      admin,
    );
    expect(stats.errors).toBeUndefined();
    expect(stats.data.agency.complaintStats).toEqual({
      averageRating: 3.5,
      ratings: [
        { rating: 1, count: 0 },
        { rating: 2, count: 1 },
        { rating: 3, count: 0 },
        { rating: 4, count: 0 },
        { rating: 5, count: 1 },
      ],
    });
    const province = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { agency(id: "region-52") { complaintStats(from: $from, to: $to, includeDescendants: true) { averageRating } } }`,
      { from, to },
      national,
    );
    expect(province.data.agency.complaintStats.averageRating).toBeCloseTo(11 / 3);

    const dashboard = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
        stats { averageRating ratings { rating count } }
        regenciesAndCities { agency { id } rank averageRating ratingCount ratingRank } } }`,
      { from, to },
      await hub.token('DASHBOARD', NATIONAL_ID),
    );
    expect(dashboard.errors).toBeUndefined();
    expect(dashboard.data.nationalDashboard.stats.averageRating).toBeCloseTo(11 / 3);
    const rows = Object.fromEntries(dashboard.data.nationalDashboard.regenciesAndCities.map((row: any) => [row.agency.id, row]));
    expect(rows['region-52.72']).toMatchObject({ averageRating: 4, ratingCount: 1, ratingRank: 1 });
    expect(rows['region-52.06']).toMatchObject({ averageRating: 3.5, ratingCount: 2, ratingRank: 2 });

    // The tally the dashboard reads whole months from agrees with the ratings themselves.
    const [check] = await hub.sql<{ tallied: number; rated: number }>(
      'complaints',
      `select (select coalesce(sum(ratings), 0)::int from complaints.rating_month_tally) as tallied, (select count(*)::int from complaints.rating) as rated`,
    );
    expect(check.tallied).toBe(check.rated);
    await expect(hub.sql('complaints', 'update complaints.rating set rating = 1')).rejects.toThrow(/only ever inserted/);
  });
});
