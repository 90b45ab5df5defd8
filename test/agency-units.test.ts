import { NATIONAL_ID, TestHub, type GraphQLResponse } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

const ids = (agencies: { id: string }[]) => agencies.map((agency) => agency.id);

describe('time zones and ancestors of hub nodes', () => {
  it('walks Kabupaten Bima up to its province and the national node', async () => {
    const { data, errors } = await hub.query(`{
      bima: agency(id: "region-52.06") { timeZone ancestors { id name kind timeZone } }
      ntb: agency(id: "region-52") { ancestors { id } }
      kemenkes: agency(id: "kemenkes") { timeZone ancestors { id } }
      national: agency(id: "${NATIONAL_ID}") { timeZone ancestors { id } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.bima).toEqual({
      timeZone: 'Asia/Makassar',
      ancestors: [
        { id: 'region-52', name: 'Nusa Tenggara Barat', kind: 'PROVINCE', timeZone: 'Asia/Makassar' },
        { id: NATIONAL_ID, name: expect.stringContaining('SP4N-LAPOR!'), kind: 'NATIONAL', timeZone: 'Asia/Jakarta' },
      ],
    });
    expect(ids(data.ntb.ancestors)).toEqual([NATIONAL_ID]);
    expect(data.kemenkes).toEqual({ timeZone: 'Asia/Jakarta', ancestors: [{ id: NATIONAL_ID }] });
    expect(data.national).toEqual({ timeZone: 'Asia/Jakarta', ancestors: [] });
  });

  it('puts each region in its province’s zone: WIB, WITA or WIT', async () => {
    const { data, errors } = await hub.query(`{
      nabire: agency(id: "region-94.01") { name timeZone }
      jakarta: agency(id: "region-31") { timeZone }
      samarinda: agencyByRegionCode(regionCode: "64.72") { name timeZone }
    }`);
    expect(errors).toBeUndefined();
    expect(data.nabire).toEqual({ name: 'Kabupaten Nabire', timeZone: 'Asia/Jayapura' });
    expect(data.jakarta).toEqual({ timeZone: 'Asia/Jakarta' });
    expect(data.samarinda).toEqual({ name: 'Kota Samarinda', timeZone: 'Asia/Makassar' });
    const zones = await hub.sql<{ time_zone: string; count: number }>(
      'agencies',
      `select time_zone, count(*)::int as count from agencies.agency where kind in ('REGENCY','CITY') group by time_zone order by time_zone`,
    );
    expect(zones.map((zone) => zone.time_zone)).toEqual(['Asia/Jakarta', 'Asia/Jayapura', 'Asia/Makassar']);
    expect(zones.reduce((sum, zone) => sum + zone.count, 0)).toBe(514);
  });

  it('resolves the ancestors of 50 regencies with one SQL statement besides the entities', async () => {
    const regencies = await hub.sql<{ id: string; parent_id: string }>(
      'agencies',
      `select id, parent_id from agencies.agency where kind = 'REGENCY' order by id limit 50`,
    );
    expect(regencies).toHaveLength(50);
    hub.sqlCounter.reset();
    const { data, errors } = await hub.querySubgraph(
      'agencies',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency { id timeZone ancestors { id } } } }`,
      { representations: regencies.map(({ id }) => ({ __typename: 'Agency', id })) },
    );
    expect(errors).toBeUndefined();
    expect(data._entities.map((agency: { id: string; ancestors: { id: string }[] }) => [agency.id, ids(agency.ancestors)])).toEqual(
      regencies.map(({ id, parent_id }) => [id, [parent_id, NATIONAL_ID]]),
    );
    // the batch of entities, then one recursive CTE for every ancestor chain
    expect(hub.sqlCounter.count('agencies')).toBe(2);
    expect(hub.sqlCounter.statements.agencies[1]).toMatch(/with recursive/i);
  });
});

const CREATE_UNIT = `
  mutation($input: CreateAgencyUnitInput!) {
    createAgencyUnit(input: $input) { agency { id name acronym kind timeZone parent { id } ancestors { id } } }
  }`;

async function unitCount(): Promise<number> {
  const [{ count }] = await hub.sql<{ count: number }>('agencies', `select count(*)::int as count from agencies.agency where kind = 'UNIT'`);
  return count;
}

/** A call that must be refused with `code` (and `field`), leaving the units as they were. */
async function expectRefused(
  input: Record<string, unknown>,
  token: string | undefined,
  expected: { code: string; field?: string },
): Promise<GraphQLResponse> {
  const before = await unitCount();
  const response = await hub.query(CREATE_UNIT, { input }, token);
  expect(response.data?.createAgencyUnit ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0].extensions).toMatchObject(expected);
  expect(await unitCount()).toBe(before);
  return response;
}

describe('createAgencyUnit', () => {
  let bimaAdmin: string;
  let nationalAdmin: string;
  beforeAll(async () => {
    bimaAdmin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    nationalAdmin = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  });

  it('lets a regency’s admin create a dinas under the regency, in the regency’s zone', async () => {
    const before = await unitCount();
    const { data, errors } = await hub.query(CREATE_UNIT, { input: { parentId: 'region-52.06', name: '  Dinas Kesehatan ', acronym: 'Dinkes' } }, bimaAdmin);
    expect(errors).toBeUndefined();
    expect(data.createAgencyUnit.agency).toEqual({
      id: 'region-52.06.unit-dinas-kesehatan',
      name: 'Dinas Kesehatan',
      acronym: 'Dinkes',
      kind: 'UNIT',
      timeZone: 'Asia/Makassar',
      parent: { id: 'region-52.06' },
      ancestors: [{ id: 'region-52.06' }, { id: 'region-52' }, { id: NATIONAL_ID }],
    });
    expect(await unitCount()).toBe(before + 1);
    const [row] = await hub.sql('agencies', `select kind, parent_id, time_zone, region_code from agencies.agency where id = $1`, [
      'region-52.06.unit-dinas-kesehatan',
    ]);
    expect(row).toEqual({ kind: 'UNIT', parent_id: 'region-52.06', time_zone: 'Asia/Makassar', region_code: null });

    const listed = await hub.query(`{ agency(id: "region-52.06") { children(kind: UNIT) { totalCount edges { node { id name kind } } } } }`);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.agency.children).toEqual({
      totalCount: 1,
      edges: [{ node: { id: 'region-52.06.unit-dinas-kesehatan', name: 'Dinas Kesehatan', kind: 'UNIT' } }],
    });
  });

  it('refuses the same admin under another regency, and a liaison officer under its own', async () => {
    await expectRefused({ parentId: 'region-52.01', name: 'Dinas Kesehatan' }, bimaAdmin, { code: 'FORBIDDEN' });
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    await expectRefused({ parentId: 'region-52.06', name: 'Dinas Pendidikan' }, liaison, { code: 'FORBIDDEN' });
  });

  it('asks a caller without a token to authenticate', async () => {
    await expectRefused({ parentId: 'region-52.06', name: 'Dinas Pendidikan' }, undefined, { code: 'UNAUTHENTICATED' });
  });

  it('lets the national admin create a unit under a ministry', async () => {
    const { data, errors } = await hub.query(CREATE_UNIT, { input: { parentId: 'kemenkes', name: 'Inspektorat Jenderal' } }, nationalAdmin);
    expect(errors).toBeUndefined();
    expect(data.createAgencyUnit.agency).toEqual({
      id: 'kemenkes.unit-inspektorat-jenderal',
      name: 'Inspektorat Jenderal',
      acronym: null,
      kind: 'UNIT',
      timeZone: 'Asia/Jakarta',
      parent: { id: 'kemenkes' },
      ancestors: [{ id: 'kemenkes' }, { id: NATIONAL_ID }],
    });
  });

  it('refuses a unit under a unit, and under a node that does not exist', async () => {
    const nested = await expectRefused({ parentId: 'region-52.06.unit-dinas-kesehatan', name: 'Seksi Gizi' }, nationalAdmin, {
      code: 'BAD_USER_INPUT',
      field: 'input.parentId',
    });
    expect(nested.errors?.[0].message).toMatch(/units do not nest/);
    await expectRefused({ parentId: 'no-such-node', name: 'Dinas Kesehatan' }, nationalAdmin, { code: 'BAD_USER_INPUT', field: 'input.parentId' });
  });

  it('refuses an empty or invalid name, naming the field', async () => {
    await expectRefused({ parentId: 'region-52.06', name: '' }, bimaAdmin, { code: 'BAD_USER_INPUT', field: 'input.name' });
    await expectRefused({ parentId: 'region-52.06', name: '   ' }, bimaAdmin, { code: 'BAD_USER_INPUT', field: 'input.name' });
    await expectRefused({ parentId: 'region-52.06', name: 'Dinas\u0007Sosial' }, bimaAdmin, { code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('answers CONFLICT for a second unit of the same name under the same node', async () => {
    const input = { parentId: 'region-52.06', name: 'Badan Pendapatan Daerah' };
    const first = await hub.query(CREATE_UNIT, { input }, bimaAdmin);
    expect(first.errors).toBeUndefined();
    await expectRefused(input, bimaAdmin, { code: 'CONFLICT' });
    // a name that differs only in case and punctuation makes the same id
    await expectRefused({ ...input, name: 'badan pendapatan  daerah!' }, bimaAdmin, { code: 'CONFLICT' });
    // the same name under another node is another unit
    const elsewhere = await hub.query(CREATE_UNIT, { input: { ...input, parentId: 'region-52.01' } }, nationalAdmin);
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data.createAgencyUnit.agency.id).toBe('region-52.01.unit-badan-pendapatan-daerah');
  });
});
