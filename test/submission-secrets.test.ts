import { createHash, createHmac, randomUUID } from 'node:crypto';
import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { ContactSeal } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { ComplaintSchema } from '@lapor-hub/complaints/src/entities/complaint';
import { complaintsMigrations } from '@lapor-hub/complaints/src/migrations';
import { forgetExpiredReplayTokens } from '@lapor-hub/complaints/src/services/sweep';
import { TestHub } from './support/hub';

/**
 * What a submission hands out and keeps: a reporter token no key recomputes, recoverable by a
 * retry only within the idempotency window, and idempotency keys that are long and per client.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

const SUBMIT = `mutation($input: SubmitComplaintInput!) {
  submitComplaint(input: $input) { reporterToken complaint { id trackingId } }
}`;
const FOLLOW = `query($t: String!, $k: String) { complaintByTrackingId(trackingId: $t, reporterToken: $k) { id reporter { name } } }`;

function submission(overrides: Record<string, unknown> = {}) {
  return {
    type: 'COMPLAINT',
    title: 'Pungutan liar di puskesmas',
    body: 'Petugas loket meminta uang tambahan untuk kartu berobat.',
    channel: 'WEB',
    regionCode: '52.06',
    reporter: { name: 'Wayan Saksi' },
    ...overrides,
  };
}

async function submitted(input: Record<string, unknown>, token?: string) {
  const response = await hub.query(SUBMIT, { input }, token);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  const { reporterToken, complaint } = response.data.submitComplaint;
  return { reporterToken: reporterToken as string, id: complaint.id as string, trackingId: complaint.trackingId as string };
}

describe('a reporter token', () => {
  // The secret the hub's tests used to derive tokens with, as HMAC("reporter-token:" + id).
  const OLD_SECRET = 'test-reporter-secret';
  const oldDerivation = (id: string) => createHmac('sha256', OLD_SECRET).update(`reporter-token:${id}`).digest('base64url');

  it('is random: two complaints’ tokens are unrelated, and the old derivation from the id opens nothing', async () => {
    const a = await submitted(submission());
    const b = await submitted(submission());
    expect(a.reporterToken).not.toBe(b.reporterToken);
    expect(Buffer.from(a.reporterToken, 'base64url').length).toBeGreaterThanOrEqual(16);
    for (const { id, trackingId, reporterToken } of [a, b]) {
      expect(reporterToken).not.toBe(oldDerivation(id));
      const forged = await hub.query(FOLLOW, { t: trackingId, k: oldDerivation(id) });
      expect(forged.data.complaintByTrackingId.reporter).toBeNull();
      const own = await hub.query(FOLLOW, { t: trackingId, k: reporterToken });
      expect(own.data.complaintByTrackingId.reporter).toEqual({ name: 'Wayan Saksi' });
    }
  });

  it('is stored only as its hash: the row holds neither the token nor, without an idempotency key, anything that opens it', async () => {
    const { id, reporterToken } = await submitted(submission());
    const [row] = await hub.sql<Record<string, unknown>>('complaints', 'select * from complaints.complaint where id = $1', [id]);
    expect(row.reporter_token_hash).toBe(createHash('sha256').update(reporterToken).digest('hex'));
    expect(row.reporter_token_sealed).toBeNull();
    expect(JSON.stringify(row)).not.toContain(reporterToken);
  });

  it('that was issued before tokens were random keeps working (verified by its hash)', async () => {
    const { id, trackingId } = await submitted(submission());
    const legacy = oldDerivation(id);
    await hub.sql('complaints', 'update complaints.complaint set reporter_token_hash = $2 where id = $1', [
      id,
      createHash('sha256').update(legacy).digest('hex'),
    ]);
    const own = await hub.query(FOLLOW, { t: trackingId, k: legacy });
    expect(own.data.complaintByTrackingId.reporter).toEqual({ name: 'Wayan Saksi' });
  });
});

describe('a retried submission', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openDatabase({
      clientUrl: hub.databases.urls.complaints,
      schema: 'complaints',
      entities: [ComplaintSchema],
      migrations: complaintsMigrations(new ContactSeal(hub.secrets.reporterContactKey)),
      poolMax: 2,
    });
  });
  afterAll(() => orm?.close());

  it('within the idempotency window returns the same complaint and token; the token is kept sealed, not in clear', async () => {
    const input = submission({ idempotencyKey: randomUUID() });
    const first = await submitted(input);
    const again = await submitted(input);
    expect(again).toEqual(first);
    const [row] = await hub.sql<{ reporter_token_sealed: Buffer | null; sealed_until: Date }>(
      'complaints',
      'select reporter_token_sealed, reporter_token_sealed_until as sealed_until from complaints.complaint where id = $1',
      [first.id],
    );
    expect(row.reporter_token_sealed).not.toBeNull();
    expect(row.reporter_token_sealed!.toString('latin1')).not.toContain(first.reporterToken);
    expect(row.reporter_token_sealed!.toString('base64url')).not.toContain(first.reporterToken);
    const hours = (new Date(row.sealed_until).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
  });

  it('after the window is a CONFLICT saying the key expired, and the sweep forgets the sealed token', async () => {
    const input = submission({ idempotencyKey: randomUUID() });
    const first = await submitted(input);
    await hub.sql('complaints', `update complaints.complaint set reporter_token_sealed_until = now() - interval '1 minute' where id = $1`, [first.id]);
    const late = await hub.query(SUBMIT, { input });
    expect(late.data).toBeNull();
    expect(late.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    expect(late.errors![0].message).toMatch(/expired/);
    expect(JSON.stringify(late)).not.toContain(first.reporterToken);

    expect(await forgetExpiredReplayTokens(orm.em.fork())).toBeGreaterThanOrEqual(1);
    const [row] = await hub.sql<Record<string, unknown>>('complaints', 'select * from complaints.complaint where id = $1', [first.id]);
    expect(row.reporter_token_sealed).toBeNull();
    expect(row.reporter_token_sealed_until).toBeNull();
    // The reporter's own token still works: only the retry's copy is gone.
    const own = await hub.query(FOLLOW, { t: first.trackingId, k: first.reporterToken });
    expect(own.data.complaintByTrackingId.reporter).toEqual({ name: 'Wayan Saksi' });
  });
});

describe('an idempotency key', () => {
  it.each([
    ['a 19-character key', 'sms-1708-0001-retry'],
    ['a UUID without its hyphens', randomUUID().replace(/-/g, '')],
    ['a UUID with a character too many', `${randomUUID()}0`],
  ])('refuses %s with BAD_USER_INPUT naming input.idempotencyKey', async (_case, idempotencyKey) => {
    const { data, errors } = await hub.query(SUBMIT, { input: submission({ idempotencyKey }) });
    expect(data).toBeNull();
    expect(errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' })]);
  });

  it('accepts a UUID of any version, in either case', async () => {
    const v1Like = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const first = await submitted(submission({ idempotencyKey: v1Like }));
    expect(await submitted(submission({ idempotencyKey: v1Like.toUpperCase() }))).toEqual(first);
  });

  it('is scoped to the client that sent it: another client with the same key and content gets a complaint of its own', async () => {
    const key = randomUUID();
    const input = submission({ idempotencyKey: key });
    const system = await hub.token('AGENCY_SYSTEM', 'region-52.06', 'sp4n-channel-a');
    const otherSystem = await hub.token('AGENCY_SYSTEM', 'region-52.06', 'sp4n-channel-b');
    const sameSubElsewhere = await hub.token('AGENCY_SYSTEM', 'region-52.01', 'sp4n-channel-a');

    const bySystem = await submitted(input, system);
    expect(await submitted(input, system)).toEqual(bySystem);
    const byPublic = await submitted(input);
    const byOther = await submitted(input, otherSystem);
    const byElsewhere = await submitted(input, sameSubElsewhere);
    const ids = [bySystem, byPublic, byOther, byElsewhere].map((result) => result.id);
    expect(new Set(ids).size).toBe(4);
    const tokens = [bySystem, byPublic, byOther, byElsewhere].map((result) => result.reporterToken);
    expect(new Set(tokens).size).toBe(4);
    // The public is one scope: its own retry finds its complaint.
    expect(await submitted(input)).toEqual(byPublic);
  });
});
