import { NATIONAL_ID, TestHub, type GraphQLResponse } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

describe('the national directory through the gateway', () => {
  it('holds all 38 provinces and 514 regencies and cities', async () => {
    const { data, errors } = await hub.query(`{
      provinces: agencies(kind: PROVINCE) { totalCount }
      regencies: agencies(kind: REGENCY) { totalCount }
      cities: agencies(kind: CITY) { totalCount }
      national: agencies(kind: NATIONAL) { totalCount edges { node { id } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.provinces.totalCount).toBe(38);
    expect(data.regencies.totalCount + data.cities.totalCount).toBe(514);
    expect(data.national).toEqual({ totalCount: 1, edges: [{ node: { id: NATIONAL_ID } }] });
    const [{ count }] = await hub.sql<{ count: number }>('agencies', `select count(*)::int as count from agencies.agency where kind = 'CITY'`);
    expect(data.cities.totalCount).toBe(count);
  });

  it('links Kabupaten Bima to Nusa Tenggara Barat, with official codes', async () => {
    const { data } = await hub.query(`{
      agencies(search: "kabupaten bima") { edges { node { id name kind regionCode parent { name regionCode kind parent { id } } } } }
    }`);
    expect(data.agencies.edges).toEqual([
      {
        node: {
          id: 'region-52.06',
          name: 'Kabupaten Bima',
          kind: 'REGENCY',
          regionCode: '52.06',
          parent: { name: 'Nusa Tenggara Barat', regionCode: '52', kind: 'PROVINCE', parent: { id: NATIONAL_ID } },
        },
      },
    ]);
    const city = await hub.query(`{ agencyByRegionCode(regionCode: "52.72") { name kind } }`);
    expect(city.data.agencyByRegionCode).toEqual({ name: 'Kota Bima', kind: 'CITY' });
  });

  it('seeds the cabinet, including Kementerian Haji dan Umrah, and the topic categories', async () => {
    const { data } = await hub.query(`{
      ministries: agencies(kind: MINISTRY) { totalCount }
      haji: agencies(kind: MINISTRY, search: "haji dan umrah") { edges { node { name parent { id } } } }
      categories { id name }
    }`);
    expect(data.ministries.totalCount).toBeGreaterThanOrEqual(45);
    expect(data.haji.edges).toEqual([{ node: { name: 'Kementerian Haji dan Umrah', parent: { id: NATIONAL_ID } } }]);
    const ids = data.categories.map((category: { id: string }) => category.id);
    expect(ids).toEqual(expect.arrayContaining(['HEALTH', 'EDUCATION_CULTURE', 'VILLAGE_FUNDS', 'INFRASTRUCTURE', 'FINANCE_BANKING']));
  });

  it('pages with cursors: every province exactly once, in name order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors }: GraphQLResponse = await hub.query(
        `query($after: String) { agencies(kind: PROVINCE, first: 10, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(errors).toBeUndefined();
      seen.push(...data.agencies.edges.map((edge: { node: { name: string } }) => edge.node.name));
      if (!data.agencies.pageInfo.hasNextPage) break;
      after = data.agencies.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(38);
    expect(new Set(seen).size).toBe(38);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('lists a province’s children as a connection, batched for many provinces', async () => {
    hub.sqlCounter.reset();
    const { data, errors } = await hub.query(`{
      agencies(kind: PROVINCE, first: 38) { edges { node { regionCode children(first: 2) { totalCount edges { node { regionCode parent { regionCode } } } } } } }
    }`);
    expect(errors).toBeUndefined();
    const ntb = data.agencies.edges.find((edge: { node: { regionCode: string } }) => edge.node.regionCode === '52').node;
    expect(ntb.children.totalCount).toBe(10);
    expect(ntb.children.edges).toHaveLength(2);
    // the page of provinces, one windowed page of children, one grouped count, one batch of parents
    expect(hub.sqlCounter.count('agencies')).toBe(4);
  });

  it('answers bad paging with BAD_USER_INPUT and unknown ids with null', async () => {
    const tooMany = await hub.query(`{ agencies(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await hub.query(`{ agencies(after: "not-a-cursor") { totalCount } }`);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await hub.query(`{ agency(id: "no-such-node") { id } }`);
    expect(unknown).toMatchObject({ data: { agency: null } });
    expect(unknown.errors).toBeUndefined();
  });
});

describe('entity references to Agency', () => {
  it('resolves 50 representations with exactly one SQL query', async () => {
    const provinces = await hub.sql<{ id: string }>('agencies', `select id from agencies.agency where kind in ('REGENCY','CITY') order by id limit 50`);
    expect(provinces).toHaveLength(50);
    hub.sqlCounter.reset();
    const { data, errors } = await hub.querySubgraph(
      'agencies',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency { id name } } }`,
      { representations: provinces.map(({ id }) => ({ __typename: 'Agency', id })) },
    );
    expect(errors).toBeUndefined();
    expect(data._entities.map((agency: { id: string }) => agency.id)).toEqual(provinces.map(({ id }) => id));
    expect(hub.sqlCounter.count('agencies')).toBe(1);
  });
});
