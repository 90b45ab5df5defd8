import { randomUUID } from 'node:crypto';
import { NATIONAL_ID, TestHub } from './support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

const SUBMIT = `mutation($input: SubmitComplaintInput!) {
  submitComplaint(input: $input) {
    reporterToken
    complaint { id trackingId status type channel anonymous confidential regionCode version
      category { id name } reporter { name email phone }
      addressedAgency { id name parent { name } } assignedAgency { id } }
  }
}`;

function submission(overrides: Record<string, unknown> = {}) {
  return {
    type: 'COMPLAINT',
    title: 'Jalan desa rusak berat',
    body: 'Jalan penghubung Desa Sape rusak sejak musim hujan dan belum diperbaiki.',
    channel: 'WEB',
    regionCode: '52.06',
    categoryId: 'INFRASTRUCTURE',
    reporter: { name: 'Siti Aminah', email: 'siti@example.id', phone: '+6281234567890' },
    ...overrides,
  };
}

async function complaintCount(): Promise<number> {
  const [{ count }] = await hub.sql<{ count: number }>('complaints', 'select count(*)::int as count from complaints.complaint');
  return count;
}

describe('submitComplaint through the gateway', () => {
  it('files a complaint addressed to the regency of its region, resolved across subgraphs', async () => {
    const { data, errors } = await hub.query(SUBMIT, { input: submission() });
    expect(errors).toBeUndefined();
    const { complaint, reporterToken } = data.submitComplaint;
    expect(complaint).toMatchObject({
      status: 'SUBMITTED',
      version: 1,
      regionCode: '52.06',
      category: { id: 'INFRASTRUCTURE' },
      reporter: { name: 'Siti Aminah', email: 'siti@example.id', phone: '+6281234567890' },
      addressedAgency: { id: 'region-52.06', name: 'Kabupaten Bima', parent: { name: 'Nusa Tenggara Barat' } },
      assignedAgency: null,
    });
    expect(complaint.trackingId).toMatch(/^LPR-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(reporterToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [stored] = await hub.sql<{ reporter_token_hash: string }>(
      'complaints',
      'select reporter_token_hash from complaints.complaint where id = $1',
      [complaint.id],
    );
    expect(stored.reporter_token_hash).not.toContain(reporterToken);
    expect(stored.reporter_token_hash).toMatch(/^[0-9a-f]{64}$/);

    const read = await hub.query(
      `query($id: ID!) { complaint(id: $id) { trackingId title addressedAgency { name parent { name } } reporter { name } } }`,
      { id: complaint.id },
    );
    expect(read.data.complaint).toEqual({
      trackingId: complaint.trackingId,
      title: 'Jalan desa rusak berat',
      addressedAgency: { name: 'Kabupaten Bima', parent: { name: 'Nusa Tenggara Barat' } },
      reporter: null,
    });
  });

  it('addresses the citizen’s chosen node, else the national node when there is no region', async () => {
    const chosen = await hub.query(SUBMIT, { input: submission({ addressedAgencyId: 'kemenkes', categoryId: 'HEALTH' }) });
    expect(chosen.data.submitComplaint.complaint.addressedAgency).toMatchObject({ id: 'kemenkes', name: 'Kementerian Kesehatan' });
    const nowhere = await hub.query(SUBMIT, { input: submission({ regionCode: null, categoryId: null, channel: 'SMS', reporter: null }) });
    expect(nowhere.data.submitComplaint.complaint).toMatchObject({ addressedAgency: { id: NATIONAL_ID }, category: null, reporter: null });
  });

  it('files a submission with two SQL statements and no call to the directory, whichever region it names', async () => {
    const LEAN = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { id trackingId verifyDueAt } } }`;
    // Should the regional nodes be a minute old by now, this request reloads them, not the one counted.
    await hub.query(LEAN, { input: submission({ regionCode: '52.04' }) });
    hub.sqlCounter.reset();
    const { errors } = await hub.query(LEAN, { input: submission({ regionCode: '52.05', idempotencyKey: randomUUID() }) });
    expect(errors).toBeUndefined();
    // the calendar; then the complaint, its timeline entry, contact, receipt and hub event as one statement
    expect(hub.sqlCounter.count('complaints')).toBe(2);
    // every regency's node, ancestors and region code were loaded with the others at start
    expect(hub.sqlCounter.count('agencies')).toBe(0);
  });

  it('returns the first complaint to a retry with the same idempotencyKey, and refuses the key for other content', async () => {
    const input = submission({ idempotencyKey: randomUUID() });
    const first = await hub.query(SUBMIT, { input });
    const before = await complaintCount();
    const again = await Promise.all([hub.query(SUBMIT, { input }), hub.query(SUBMIT, { input })]);
    for (const retry of again) {
      expect(retry.errors).toBeUndefined();
      expect(retry.data.submitComplaint.complaint.id).toBe(first.data.submitComplaint.complaint.id);
      expect(retry.data.submitComplaint.reporterToken).toBe(first.data.submitComplaint.reporterToken);
    }
    expect(await complaintCount()).toBe(before);
    const reused = await hub.query(SUBMIT, { input: { ...input, title: 'Judul lain' } });
    expect(reused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await complaintCount()).toBe(before);
  });

  it('files concurrent first submissions with one key exactly once', async () => {
    const key = randomUUID();
    const input = submission({ idempotencyKey: key });
    const results = await Promise.all(Array.from({ length: 5 }, () => hub.query(SUBMIT, { input })));
    const ids = new Set(results.map((result) => result.data?.submitComplaint.complaint.id));
    expect(ids.size).toBe(1);
    const [{ count }] = await hub.sql<{ count: number }>(
      'complaints',
      `select count(*)::int as count from complaints.complaint where idempotency_key = $1`,
      [key],
    );
    expect(count).toBe(1);
  });

  it.each([
    ['an empty title', { title: '   ' }, 'input.title'],
    ['a body over 4,000 characters', { body: 'x'.repeat(4001) }, 'input.body'],
    ['a control character', { title: 'Jalan\u0007rusak' }, 'input.title'],
    ['an unknown category', { categoryId: 'NO_SUCH_CATEGORY' }, 'input.categoryId'],
    ['an unknown region', { regionCode: '99.99' }, 'input.regionCode'],
    ['a malformed region', { regionCode: 'Bima' }, 'input.regionCode'],
    ['an unknown addressee', { addressedAgencyId: 'no-such-node' }, 'input.addressedAgencyId'],
    ['a malformed e-mail', { reporter: { email: 'not-an-email' } }, 'input.reporter.email'],
    ['a short idempotency key', { idempotencyKey: 'abc' }, 'input.idempotencyKey'],
  ])('refuses %s with BAD_USER_INPUT naming the field, storing nothing', async (_case, overrides, field) => {
    const before = await complaintCount();
    const { data, errors } = await hub.query(SUBMIT, { input: submission(overrides) });
    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(errors![0].message).toContain(field);
    expect(await complaintCount()).toBe(before);
  });

  it('refuses a wrong enum value before any resolver runs', async () => {
    const before = await complaintCount();
    const { errors } = await hub.query(SUBMIT, { input: submission({ channel: 'FAX' }) });
    expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(errors)).not.toMatch(/stack|select|insert|at \//i);
    expect(await complaintCount()).toBe(before);
  });
});

describe('reading complaints', () => {
  let anonymous: { id: string; trackingId: string };
  let anonymousToken: string;
  let confidential: { id: string; trackingId: string };

  beforeAll(async () => {
    const a = await hub.query(SUBMIT, { input: submission({ anonymous: true, reporter: { name: 'Pelapor Rahasia', phone: '081298765432' } }) });
    anonymous = a.data.submitComplaint.complaint;
    anonymousToken = a.data.submitComplaint.reporterToken;
    const c = await hub.query(SUBMIT, { input: submission({ confidential: true, title: 'Pungutan liar di kantor desa' }) });
    confidential = c.data.submitComplaint.complaint;
  });

  it('shows the reporter everything with trackingId + reporterToken, and nothing of them without', async () => {
    const query = `query($trackingId: String!, $token: String) { complaintByTrackingId(trackingId: $trackingId, reporterToken: $token) { id reporter { name phone } } }`;
    const own = await hub.query(query, { trackingId: anonymous.trackingId, token: anonymousToken });
    expect(own.data.complaintByTrackingId).toEqual({ id: anonymous.id, reporter: { name: 'Pelapor Rahasia', phone: '081298765432' } });
    const wrongToken = await hub.query(query, { trackingId: anonymous.trackingId, token: 'x'.repeat(43) });
    expect(wrongToken.data.complaintByTrackingId).toEqual({ id: anonymous.id, reporter: null });
    const unknown = await hub.query(query, { trackingId: 'LPR-0000000000' });
    expect(unknown.data.complaintByTrackingId).toBeNull();
  });

  it('never shows an anonymous reporter to an agency: the national admin, the addressed node, its parent', async () => {
    for (const [role, agencyId] of [
      ['NATIONAL_ADMIN', NATIONAL_ID],
      ['AGENCY_ADMIN', 'region-52.06'],
      ['LIAISON_OFFICER', 'region-52'],
    ] as const) {
      const token = await hub.token(role, agencyId);
      const { data } = await hub.query(`query($id: ID!) { complaint(id: $id) { id anonymous reporter { name } } }`, { id: anonymous.id }, token);
      expect(data.complaint).toEqual({ id: anonymous.id, anonymous: true, reporter: null });
      const listed = await hub.query(
        `{ agency(id: "region-52.06") { addressedComplaints(first: 100) { edges { node { id reporter { name } } } } } }`,
        {},
        token,
      );
      const edge = listed.data.agency.addressedComplaints.edges.find((e: { node: { id: string } }) => e.node.id === anonymous.id);
      expect(edge.node.reporter).toBeNull();
    }
  });

  it('keeps confidential complaints from the public, and shows them to agencies', async () => {
    const publicRead = await hub.query(`query($id: ID!) { complaint(id: $id) { id } }`, { id: confidential.id });
    expect(publicRead.data.complaint).toBeNull();
    const publicList = await hub.query(`{ agency(id: "region-52.06") { addressedComplaints(first: 100) { totalCount edges { node { id confidential } } } } }`);
    const nodes = publicList.data.agency.addressedComplaints.edges.map((edge: { node: { confidential: boolean } }) => edge.node);
    expect(nodes.some((node: { confidential: boolean }) => node.confidential)).toBe(false);
    const token = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const officerRead = await hub.query(`query($id: ID!) { complaint(id: $id) { id confidential } }`, { id: confidential.id }, token);
    expect(officerRead.data.complaint).toEqual({ id: confidential.id, confidential: true });
    const [{ count }] = await hub.sql<{ count: number }>(
      'complaints',
      `select count(*)::int as count from complaints.complaint where addressed_agency_id = 'region-52.06' and not confidential`,
    );
    expect(publicList.data.agency.addressedComplaints.totalCount).toBe(count);
  });

  it('gives null for unknown or malformed ids, without an error', async () => {
    const { data, errors } = await hub.query(`{ a: complaint(id: "00000000-0000-4000-8000-000000000000") { id } b: complaint(id: "42") { id } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ a: null, b: null });
  });
});

describe('agency inboxes', () => {
  it('pages a node’s complaints newest first, with one SQL statement per batch however many nodes', async () => {
    for (const regionCode of ['52.01', '52.02', '52.03']) {
      for (let i = 0; i < 3; i++) await hub.query(SUBMIT, { input: submission({ regionCode, title: `Keluhan ${regionCode} #${i}` }) });
    }
    const token = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    hub.sqlCounter.reset();
    const { data, errors } = await hub.query(
      `{ agencies(parentId: "region-52", first: 100) { edges { node { regionCode
          addressedComplaints(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { title addressedAgency { regionCode } } } } } } } }`,
      {},
      token,
    );
    expect(errors).toBeUndefined();
    const lombokBarat = data.agencies.edges.find((edge: { node: { regionCode: string } }) => edge.node.regionCode === '52.01').node;
    expect(lombokBarat.addressedComplaints.totalCount).toBe(3);
    expect(lombokBarat.addressedComplaints.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual([
      'Keluhan 52.01 #2',
      'Keluhan 52.01 #1',
    ]);
    expect(lombokBarat.addressedComplaints.pageInfo.hasNextPage).toBe(true);
    // ten agencies' inboxes: one windowed page query and one grouped count
    expect(hub.sqlCounter.count('complaints')).toBe(2);

    const next = await hub.query(
      `query($after: String) { agency(id: "region-52.01") { addressedComplaints(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { title } } } } }`,
      { after: lombokBarat.addressedComplaints.pageInfo.endCursor },
      token,
    );
    expect(next.data.agency.addressedComplaints).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { title: 'Keluhan 52.01 #0' } }] });
  });

  it('refuses the DASHBOARD role complaint content', async () => {
    const token = await hub.token('DASHBOARD', NATIONAL_ID);
    const { data, errors } = await hub.query(`{ agency(id: "region-52.01") { name assignedComplaints { totalCount } } }`, {}, token);
    expect(data.agency).toEqual({ name: 'Kabupaten Lombok Barat', assignedComplaints: null });
    expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
