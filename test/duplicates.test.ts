import { randomUUID } from 'node:crypto';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { readCommittedSupergraph, type ServiceHandle } from '@lapor-hub/lib';
import { NATIONAL_ID, postGraphQL, TestHub } from './support/hub';
import { MUTATIONS, submit, type Submitted } from './support/lifecycle';

/** Duplicate candidates, closing as a duplicate, and "me too", through the gateway. */
let hub: TestHub;
let national: string;

const CANDIDATES = `query($id: ID!, $first: Int) { complaint(id: $id) { possibleDuplicates(first: $first) { similarity complaint { id title } } } }`;
const MARK = `mutation($input: MarkAsDuplicateInput!) { markAsDuplicate(input: $input) {
  complaint { id status closedBy version duplicateOf { id } timeline { action note } } } }`;
const SUPPORT = `mutation($input: SupportComplaintInput!) { supportComplaint(input: $input) { complaint { id supportCount } } }`;

const BRIDGE = {
  title: 'Jembatan gantung Desa Sape ambruk',
  body: 'Jembatan gantung di Desa Sape ambruk sejak banjir minggu lalu, anak sekolah tidak bisa menyeberang sungai.',
  regionCode: '52.06',
  districtCode: '52.06.01',
  categoryId: 'INFRASTRUCTURE',
};
/** The same bridge in other words, by another citizen. */
const BRIDGE_AGAIN = {
  title: 'Jembatan di Sape roboh',
  body: 'Jembatan gantung desa Sape roboh waktu banjir, murid sekolah harus menyeberangi sungai sendiri.',
  regionCode: '52.06',
  districtCode: '52.06.01',
  categoryId: 'INFRASTRUCTURE',
};

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
});
afterAll(() => hub?.stop());

describe('possible duplicates', () => {
  let first: Submitted;
  let second: Submitted;
  let unrelated: Submitted;
  let confidentialElsewhere: Submitted;

  beforeAll(async () => {
    first = await submit(hub, BRIDGE);
    unrelated = await submit(hub, { title: 'Puskesmas tutup', body: 'Puskesmas Monta tutup pada jam kerja.', regionCode: '52.06', categoryId: 'HEALTH' });
    confidentialElsewhere = await submit(hub, { ...BRIDGE, confidential: true });
    second = await submit(hub, BRIDGE_AGAIN);
  });

  it('include the first of a complaint submitted twice in other words, for the admin who verifies it', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const { data, errors } = await hub.query(CANDIDATES, { id: second.id }, admin);
    expect(errors).toBeUndefined();
    const candidates = data.complaint.possibleDuplicates;
    expect(candidates.map((candidate: any) => candidate.complaint.id)).toContain(first.id);
    expect(candidates.map((candidate: any) => candidate.complaint.id)).not.toContain(unrelated.id);
    expect(candidates.map((candidate: any) => candidate.complaint.id)).not.toContain(second.id);
    const similarity = candidates.find((candidate: any) => candidate.complaint.id === first.id).similarity;
    expect(similarity).toBeGreaterThan(0.4);
    expect(similarity).toBeLessThanOrEqual(1);
  });

  it('are the verifiers’ alone, and never a candidate the caller may not read', async () => {
    for (const [role, agencyId] of [['LIAISON_OFFICER', 'region-52.06'], ['AGENCY_ADMIN', 'region-52.01'], ['DASHBOARD', NATIONAL_ID]] as const) {
      const { errors } = await hub.query(CANDIDATES, { id: second.id }, await hub.token(role, agencyId));
      expect(errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const anonymous = await hub.query(CANDIDATES, { id: second.id });
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    // The confidential twin is held by the same node: its admin reads it. Moved to a ministry, the
    // regency's admin no longer may, so it is no candidate of theirs; the national admin still sees it.
    await hub.sql('complaints', `update complaints.complaint set addressed_agency_id = 'kemen-pu' where id = $1`, [confidentialElsewhere.id]);
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const seen = (await hub.query(CANDIDATES, { id: second.id, first: 20 }, admin)).data.complaint.possibleDuplicates.map((c: any) => c.complaint.id);
    expect(seen).not.toContain(confidentialElsewhere.id);
    const all = (await hub.query(CANDIDATES, { id: second.id, first: 20 }, national)).data.complaint.possibleDuplicates.map((c: any) => c.complaint.id);
    expect(all).toContain(confidentialElsewhere.id);
  });

  it('closes the second as a duplicate of the first, both ways linked, CONFLICT on a stale version', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const stale = await hub.query(MARK, { input: { complaintId: second.id, duplicateOfId: first.id, version: 7 } }, admin);
    expect(stale.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    const liaison = await hub.query(MARK, { input: { complaintId: second.id, duplicateOfId: first.id, version: 1 } }, await hub.token('LIAISON_OFFICER', 'region-52.06'));
    expect(liaison.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const self = await hub.query(MARK, { input: { complaintId: second.id, duplicateOfId: second.id, version: 1 } }, admin);
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.duplicateOfId' });

    const { data, errors } = await hub.query(MARK, { input: { complaintId: second.id, duplicateOfId: first.id, version: 1 } }, admin);
    expect(errors).toBeUndefined();
    expect(data.markAsDuplicate.complaint).toMatchObject({ status: 'CLOSED', closedBy: 'DUPLICATE', version: 2, duplicateOf: { id: first.id } });
    expect(data.markAsDuplicate.complaint.timeline.at(-1)).toEqual({ action: 'MARK_DUPLICATE', note: expect.stringMatching(/^Duplicate of LPR-/) });
    const original = await hub.query(`query($id: ID!) { complaint(id: $id) { duplicates { id } } }`, { id: first.id }, admin);
    expect(original.data.complaint.duplicates).toEqual([{ id: second.id }]);

    const again = await hub.query(MARK, { input: { complaintId: second.id, duplicateOfId: first.id, version: 2 } }, admin);
    expect(again.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    const chained = await hub.query(MARK, { input: { complaintId: unrelated.id, duplicateOfId: second.id, version: 1 } }, admin);
    expect(chained.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.duplicateOfId' });
    // A closed duplicate is no candidate any more.
    const third = await submit(hub, BRIDGE_AGAIN);
    const candidates = (await hub.query(CANDIDATES, { id: third.id, first: 20 }, admin)).data.complaint.possibleDuplicates.map((c: any) => c.complaint.id);
    expect(candidates).toContain(first.id);
    expect(candidates).not.toContain(second.id);
  });

  it('lets the duplicate’s reporter follow the original’s progress with their own tracking id', async () => {
    await hub.query(MUTATIONS.verify, { input: { complaintId: first.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: first.id, version: 2, agencyId: 'region-52.06' } }, national);
    const { data, errors } = await hub.query(
      `query($t: String!, $s: String) { complaintByTrackingId(trackingId: $t, reporterToken: $s) { status closedBy duplicateOf { trackingId status assignedAgency { id } reporter { name } } } }`,
      { t: second.trackingId, s: second.reporterToken },
    );
    expect(errors).toBeUndefined();
    expect(data.complaintByTrackingId).toEqual({
      status: 'CLOSED',
      closedBy: 'DUPLICATE',
      duplicateOf: { trackingId: first.trackingId, status: 'FORWARDED', assignedAgency: { id: 'region-52.06' }, reporter: null },
    });
  });
});

describe('supportComplaint ("me too")', () => {
  it('counts one support per idempotency key, on public complaints only', async () => {
    const complaint = await submit(hub, { title: 'Lampu jalan padam', body: 'Lampu jalan di Monta padam.' });
    const key = randomUUID();
    const once = await hub.query(SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: key, reporter: { email: 'warga@example.id' } } });
    expect(once.errors).toBeUndefined();
    expect(once.data.supportComplaint.complaint.supportCount).toBe(1);
    const retried = await hub.query(SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: key } });
    expect(retried.data.supportComplaint.complaint.supportCount).toBe(1);
    const other = await hub.query(SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: randomUUID() } });
    expect(other.data.supportComplaint.complaint.supportCount).toBe(2);

    const [stored] = await hub.sql<{ sealed: Buffer }>('complaints', 'select sealed from complaints.support where idempotency_key = $1', [key]);
    expect(stored.sealed.includes(Buffer.from('warga@example.id'))).toBe(false);

    const notUuid = await hub.query(SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: 'retry-1234' } });
    expect(notUuid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
    const badEmail = await hub.query(SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: randomUUID(), reporter: { email: 'nope' } } });
    expect(badEmail.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reporter.email' });

    const confidential = await submit(hub, { confidential: true });
    const supervisory = await submit(hub);
    await hub.sql('complaints', 'update complaints.complaint set supervisory = true where id = $1', [supervisory.id]);
    for (const hidden of [confidential, supervisory]) {
      const refused = await hub.query(SUPPORT, { input: { complaintId: hidden.id, idempotencyKey: randomUUID() } });
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    }
    const [{ count }] = await hub.sql<{ count: number }>('complaints', 'select count(*)::int as count from complaints.support where complaint_id = any($1)', [
      [confidential.id, supervisory.id],
    ]);
    expect(count).toBe(0);
  });

  it('is rate-limited with submissions, per client', async () => {
    const limited: ServiceHandle = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
      secrets: hub.secrets,
      submitRateLimit: { perMinute: 2 },
    });
    try {
      const complaint = await submit(hub);
      for (let i = 0; i < 2; i++) {
        const accepted = await postGraphQL(limited.url, SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: randomUUID() } });
        expect(accepted.errors).toBeUndefined();
      }
      const refused = await postGraphQL(limited.url, SUPPORT, { input: { complaintId: complaint.id, idempotencyKey: randomUUID() } });
      expect(refused.status).toBe(429);
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
      const { data } = await hub.query(`query($id: ID!) { complaint(id: $id) { supportCount } }`, { id: complaint.id });
      expect(data.complaint.supportCount).toBe(2);
    } finally {
      await limited.stop();
    }
  });
});
