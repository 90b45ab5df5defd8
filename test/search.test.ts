import { ROLES, type Role } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub } from './support/hub';
import { submit, type Submitted } from './support/lifecycle';

/**
 * Search and the public listing through the gateway: Indonesian stems and typos, queries of any
 * content, and the access rules seen from the access matrix's viewpoints.
 */
let hub: TestHub;
let national: string;

/** Complaints written as citizens write them; each test query names the one it must find. */
const CORPUS = {
  jalan: { title: 'Jalan rusak di Desa Sape', body: 'Jalan penghubung desa rusak parah sejak musim hujan, banyak lubang.' },
  jembatan: { title: 'Jembatan gantung ambruk', body: 'Jembatan gantung di Desa Bajo ambruk, warga menyeberang sungai.' },
  puskesmas: { title: 'Puskesmas tutup pada jam kerja', body: 'Pelayanan kesehatan di puskesmas kecamatan tidak ada dokter.' },
  sampah: { title: 'Sampah menumpuk di pasar', body: 'Pembuangan sampah di Pasar Bolo tidak diangkut selama dua minggu.' },
  lampu: { title: 'Lampu jalan padam', body: 'Penerangan jalan umum di Jalan Soekarno Hatta padam sejak sebulan.' },
  banjir: { title: 'Banjir merendam perumahan', body: 'Saluran air tersumbat sehingga perumahan kebanjiran setiap hujan.' },
  pungli: { title: 'Pungutan liar pembuatan KTP', body: 'Petugas kecamatan meminta biaya untuk pembuatan KTP elektronik.' },
  izin: { title: 'Perizinan usaha lambat', body: 'Izin usaha mikro tidak kunjung terbit setelah tiga bulan.' },
  air: { title: 'Air bersih tidak mengalir', body: 'Pengairan PDAM ke rumah warga terhenti seminggu.' },
  bansos: { title: 'Bantuan sosial tidak tepat sasaran', body: 'Warga miskin tidak dibantu, penerima bantuan justru keluarga perangkat desa.' },
  guru: { title: 'Guru honorer belum digaji', body: 'Gaji guru honorer sekolah dasar belum dibayarkan selama empat bulan.' },
  macet: { title: 'Kemacetan di depan sekolah', body: 'Setiap pagi terjadi macet panjang karena parkir liar di depan sekolah.' },
} as const;
type Key = keyof typeof CORPUS;
const ids = {} as Record<Key, string>;

/** Written by hand: what a citizen types, and the complaint it must find. */
const PAIRS: [query: string, expected: Key, why: string][] = [
  ['jalannya rusak', 'jalan', 'stem: -nya'],
  ['jembatannya ambruk', 'jembatan', 'stem: -nya'],
  ['jembtan', 'jembatan', 'typo: a letter dropped'],
  ['pelayanan kesehatan', 'puskesmas', 'stems: pe-an, ke-an, in the body'],
  ['pskesmas', 'puskesmas', 'typo'],
  ['sampahnya', 'sampah', 'stem: -nya'],
  ['sampha menumpuk', 'sampah', 'typo: letters swapped'],
  ['penerangan', 'lampu', 'stem: pe-an, in the body'],
  ['lampu jalna', 'lampu', 'typo: letters swapped'],
  ['kebanjiran', 'banjir', 'stem: ke-an'],
  ['banjr', 'banjir', 'typo: a letter dropped'],
  ['dipungut', 'pungli', 'stem: di-'],
  ['pungutan liar KTP', 'pungli', 'words in title and body'],
  ['perizinan', 'izin', 'stem: per-an'],
  ['izin usaha', 'izin', 'plain words'],
  ['pengairan', 'air', 'stem: peng-an'],
  ['dibantu', 'bansos', 'stem: di-'],
  ['bantuan', 'bansos', 'stem: -an'],
  ['guru honorer', 'guru', 'plain words'],
  ['kemacten', 'macet', 'typo: a letter dropped'],
  ['macet', 'macet', 'stem: ke-an in the title'],
  ['"air bersih"', 'air', 'a quoted phrase'],
  ['gaji guru', 'guru', 'words of the body'],
  ['Perbaikan JALAN rusak', 'jalan', 'case does not matter; per-an'],
];

const PUBLIC = `query($search: String, $regionCode: String, $first: Int, $after: String) {
  publicComplaints(search: $search, regionCode: $regionCode, first: $first, after: $after) {
    totalCount edges { cursor node { id title reporter { name } } } pageInfo { hasNextPage endCursor } } }`;
const SEARCH = `query($query: String!, $agencyId: ID, $status: ComplaintStatus, $first: Int, $after: String) {
  searchComplaints(query: $query, agencyId: $agencyId, status: $status, first: $first, after: $after) {
    totalCount edges { node { id title } } pageInfo { hasNextPage endCursor } } }`;

async function found(query: string, token = national): Promise<string[]> {
  const { data, errors } = await hub.query(SEARCH, { query, first: 100 }, token);
  if (errors) throw new Error(JSON.stringify(errors));
  return data.searchComplaints.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  for (const [key, text] of Object.entries(CORPUS) as [Key, (typeof CORPUS)[Key]][]) ids[key] = (await submit(hub, { ...text })).id;
});
afterAll(() => hub?.stop());

describe('searchComplaints in Indonesian', () => {
  it.each(PAIRS)('"%s" finds the %s complaint (%s)', async (query, expected) => {
    expect(await found(query)).toContain(ids[expected]);
  });

  it('ranks the best match first and leaves out unrelated complaints', async () => {
    const hits = await found('jembatan gantung ambruk');
    expect(hits[0]).toBe(ids.jembatan);
    expect(hits).not.toContain(ids.puskesmas);
    expect(await found('guru honorer')).not.toContain(ids.sampah);
  });

  it('leaves out a word marked with a minus', async () => {
    expect(await found('sampah')).toContain(ids.sampah);
    expect(await found('sampah -pasar')).not.toContain(ids.sampah);
  });

  it('answers queries of any content without an SQL error, and refuses what is too long or unprintable with a code', async () => {
    const odd = [`'; drop table complaints.complaint; --`, 'a & b | !c', '((( ))) <-> :* \\', '"', '-', 'or or or', '%_', '$1 ? ?? ::text', '🙂 jalan'];
    for (const query of odd) {
      const { data, errors } = await hub.query(SEARCH, { query }, national);
      expect({ query, errors }).toEqual({ query, errors: undefined });
      expect(typeof data.searchComplaints.totalCount).toBe('number');
    }
    for (const query of ['x'.repeat(10_000), '   ', 'jalan\u0007rusak']) {
      const { errors } = await hub.query(SEARCH, { query }, national);
      expect(errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'query']]);
    }
    const listing = await hub.query(PUBLIC, { search: 'y'.repeat(10_000) });
    expect(listing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const { data } = await hub.query(`{ c: publicComplaints(first: 1) { totalCount } }`);
    expect(data.c.totalCount).toBeGreaterThanOrEqual(Object.keys(CORPUS).length);
  });

  it('pages a ranked search with cursors: every hit once, in rank order', async () => {
    const all = await found('desa');
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data, errors }: any = await hub.query(SEARCH, { query: 'desa', first: 1, after }, national);
      expect(errors).toBeUndefined();
      seen.push(...data.searchComplaints.edges.map((edge: any) => edge.node.id));
      expect(data.searchComplaints.totalCount).toBe(all.length);
      if (!data.searchComplaints.pageInfo.hasNextPage) break;
      after = data.searchComplaints.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    const forged = await hub.query(SEARCH, { query: 'desa', after: Buffer.from('["x", 1]').toString('base64url') }, national);
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('the public listing', () => {
  it('lists public complaints newest first, by cursor, with no reporter identity', async () => {
    const first = await hub.query(PUBLIC, { first: 2 });
    expect(first.errors).toBeUndefined();
    const page1 = first.data.publicComplaints;
    expect(page1.edges).toHaveLength(2);
    expect(page1.edges.every((edge: any) => edge.node.reporter === null)).toBe(true);
    const second = await hub.query(PUBLIC, { first: 2, after: page1.pageInfo.endCursor });
    const ids1 = page1.edges.map((edge: any) => edge.node.id);
    const ids2 = second.data.publicComplaints.edges.map((edge: any) => edge.node.id);
    expect(ids2.some((id: string) => ids1.includes(id))).toBe(false);
    expect(ids1[0]).toBe(ids.macet);
  });

  it('searches, and filters by region, province or regency alike', async () => {
    const { data } = await hub.query(PUBLIC, { search: 'jembtan', regionCode: '52' });
    expect(data.publicComplaints.edges.map((edge: any) => edge.node.id)).toContain(ids.jembatan);
    const elsewhere = await hub.query(PUBLIC, { search: 'jembatan', regionCode: '31' });
    expect(elsewhere.data.publicComplaints.totalCount).toBe(0);
    const bad = await hub.query(PUBLIC, { regionCode: "52' or '1'='1" });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
  });
});

/**
 * The access matrix's viewpoints: every role on the holder's node, a sibling, the parent and a
 * ministry, and the public. Whatever a search returns, `complaint(id)` lets that caller read.
 */
describe('search within what the caller may read', () => {
  type Standing = 'holder' | 'sibling' | 'parent' | 'ministry';
  const NODE_OF: Record<Standing, string> = { holder: 'region-52.06', sibling: 'region-52.01', parent: 'region-52', ministry: 'kemenkes' };
  const WORD = 'zamrud';
  let fixtures: Record<string, Submitted>;

  async function forward(complaint: Submitted, agencyId: string): Promise<void> {
    const steps = [
      `mutation($id: ID!) { verifyComplaint(input: { complaintId: $id, version: 1 }) { complaint { id } } }`,
      `mutation($id: ID!, $agencyId: ID!) { forwardComplaint(input: { complaintId: $id, version: 2, agencyId: $agencyId }) { complaint { id } } }`,
    ];
    for (const step of steps) {
      const { errors } = await hub.query(step, step.includes('$agencyId') ? { id: complaint.id, agencyId } : { id: complaint.id }, national);
      if (errors) throw new Error(JSON.stringify(errors));
    }
  }

  beforeAll(async () => {
    const text = (what: string) => ({ title: `Batu ${WORD} ${what}`, body: `Laporan tentang ${WORD}: ${what}.` });
    fixtures = {
      named: await submit(hub, text('diteruskan')),
      submitted: await submit(hub, text('baru masuk')),
      confidential: await submit(hub, { ...text('rahasia'), confidential: true }),
      supervisory: await submit(hub, text('pengawasan')),
      elsewhere: await submit(hub, text('di kementerian')),
      anonymous: await submit(hub, { ...text('tanpa nama'), anonymous: true }),
    };
    for (const key of ['named', 'confidential', 'supervisory', 'anonymous'] as const) await forward(fixtures[key], NODE_OF.holder);
    await forward(fixtures.elsewhere, 'kemen-pu');
    await hub.sql('complaints', 'update complaints.complaint set supervisory = true where id = $1', [fixtures.supervisory.id]);
  });

  const callers: ({ role: Role; standing: Standing } | 'public')[] = [
    'public',
    ...ROLES.flatMap((role) => (Object.keys(NODE_OF) as Standing[]).map((standing) => ({ role, standing }))),
  ];

  it.each(callers.map((caller) => ({ caller, who: caller === 'public' ? 'the public' : `${caller.role} of the ${caller.standing} node` })))(
    'never returns to $who a complaint it may not read',
    async ({ caller }) => {
      // The gateway takes a national admin's token only at the national node (test/tokens.test.ts).
      const node = caller === 'public' ? null : caller.role === 'NATIONAL_ADMIN' ? NATIONAL_ID : NODE_OF[caller.standing];
      const token = caller === 'public' ? undefined : await hub.token(caller.role, node!);
      const readable = new Set<string>();
      for (const complaint of Object.values(fixtures)) {
        const { data } = await hub.query(`query($id: ID!) { complaint(id: $id) { id } }`, { id: complaint.id }, token);
        if (data?.complaint) readable.add(complaint.id);
      }
      const seen: string[] = [];
      for (const agencyId of [null, NODE_OF.holder, NODE_OF.parent, 'kemen-pu']) {
        const { data, errors } = await hub.query(SEARCH, { query: WORD, agencyId, first: 100 }, token);
        if (errors) {
          expect(errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
          continue;
        }
        seen.push(...data.searchComplaints.edges.map((edge: any) => edge.node.id));
        expect(data.searchComplaints.totalCount).toBe(data.searchComplaints.edges.length);
      }
      const listing = await hub.query(PUBLIC, { search: WORD, first: 100 }, token);
      const listed: string[] = listing.data.publicComplaints.edges.map((edge: any) => edge.node.id);
      expect(listed.sort()).toEqual([fixtures.named.id, fixtures.submitted.id, fixtures.elsewhere.id, fixtures.anonymous.id].sort());
      expect(seen.filter((id) => !readable.has(id))).toEqual([]);
    },
  );

  it('finds for each role what its node holds as it reads it', async () => {
    const as = async (role: Role, agencyId: string) => new Set(await found(WORD, await hub.token(role, agencyId)));
    const admin = await as('AGENCY_ADMIN', NODE_OF.holder);
    expect([...admin].sort()).toEqual([fixtures.named.id, fixtures.submitted.id, fixtures.confidential.id, fixtures.anonymous.id].sort());
    const liaison = await as('LIAISON_OFFICER', NODE_OF.holder);
    expect([...liaison].sort()).toEqual([fixtures.named.id, fixtures.confidential.id, fixtures.anonymous.id].sort());
    expect([...(await as('INSPECTOR', NODE_OF.holder))]).toEqual([fixtures.supervisory.id]);
    const parent = await as('LIAISON_OFFICER', NODE_OF.parent);
    expect([...parent].sort()).toEqual([fixtures.named.id, fixtures.submitted.id, fixtures.confidential.id, fixtures.anonymous.id].sort());
    expect((await as('NATIONAL_ADMIN', NATIONAL_ID)).size).toBe(Object.keys(fixtures).length);
    const submittedOnly = await hub.query(SEARCH, { query: WORD, status: 'SUBMITTED', first: 100 }, national);
    expect(submittedOnly.data.searchComplaints.edges.map((edge: any) => edge.node.id)).toEqual([fixtures.submitted.id]);
    const inMinistry = await hub.query(SEARCH, { query: WORD, agencyId: 'kemen-pu', first: 100 }, national);
    expect(inMinistry.data.searchComplaints.edges.map((edge: any) => edge.node.id)).toEqual([fixtures.elsewhere.id]);
    const publicHits = new Set((await hub.query(SEARCH, { query: WORD, first: 100 })).data.searchComplaints.edges.map((edge: any) => edge.node.id));
    expect(publicHits.has(fixtures.confidential.id) || publicHits.has(fixtures.supervisory.id)).toBe(false);
    const dashboard = await hub.query(SEARCH, { query: WORD }, await hub.token('DASHBOARD', NATIONAL_ID));
    expect(dashboard.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the search window', () => {
  it('ranks and counts the newest 500 matches, paging through exactly those', async () => {
    const seed = await submit(hub, { title: 'Pohon kelapa tumbang', body: 'Pohon kelapa tumbang menutup jalan desa.' });
    // 520 more like it, copied in SQL (through the API this would take minutes), each a minute older.
    await hub.sql(
      'complaints',
      `insert into complaints.complaint (${COPIED}, id, tracking_id, submitted_at)
       select ${COPIED}, gen_random_uuid(), 'LPR-W' || lpad(i::text, 5, '0'), submitted_at - i * interval '1 minute'
       from complaints.complaint, generate_series(1, 520) i where id = $1`,
      [seed.id],
    );
    const seen = new Set<string>();
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const { data, errors }: any = await hub.query(SEARCH, { query: 'kelapa', first: 100, after }, national);
      expect(errors).toBeUndefined();
      totalCount = data.searchComplaints.totalCount;
      for (const edge of data.searchComplaints.edges) seen.add(edge.node.id);
      if (!data.searchComplaints.pageInfo.hasNextPage) break;
      after = data.searchComplaints.pageInfo.endCursor;
    }
    expect(totalCount).toBe(500);
    expect(seen.size).toBe(500);
    expect(seen.has(seed.id)).toBe(true);
  });
});

describe('the storage searches and inboxes read', () => {
  it('are GIN indexes without a pending list: a new entry goes into the index itself, not into a list every scan reads through', async () => {
    for (const schema of ['complaints', 'escalation'] as const) {
      const indexes = await hub.sql<{ name: string; options: string[] | null }>(
        schema,
        `select c.relname as name, c.reloptions as options from pg_class c
         join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
         where c.relkind = 'i' and a.amname = 'gin' and n.nspname = $1`,
        [schema],
      );
      expect(indexes.length).toBeGreaterThan(0);
      for (const { name, options } of indexes) expect({ name, options }).toEqual({ name, options: expect.arrayContaining(['fastupdate=off']) });
    }
  });

  it('has the complaint table vacuumed after 1% of its rows changed, so that index-only scans (the inbox count) stay index-only', async () => {
    const [{ options }] = await hub.sql<{ options: string[] | null }>('complaints', `select reloptions as options from pg_class where oid = 'complaints.complaint'::regclass`);
    expect(options).toEqual(
      expect.arrayContaining(['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_insert_scale_factor=0.01', 'autovacuum_analyze_scale_factor=0.01']),
    );
  });
});

/** Every column a copied complaint keeps from its original (the rest are fresh, or generated). */
const COPIED = [
  'type', 'title', 'body', 'status', 'channel', 'anonymous', 'confidential', 'region_code', 'category_id', 'addressed_agency_id',
  'assigned_agency_id', 'reporter_token_hash', 'verify_due_at', 'current_due_at', 'dispute_count', 'supervisory', 'holder_home_id',
  'holder_home_kind', 'holder_path', 'updated_at', 'version',
].join(', ');
