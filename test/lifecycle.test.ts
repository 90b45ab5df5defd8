import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { ComplaintSchema } from '@lapor-hub/complaints/src/entities/complaint';
import { ContactSeal } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { complaintsMigrations } from '@lapor-hub/complaints/src/migrations';
import { closeSilentComplaints } from '@lapor-hub/complaints/src/services/sweep';
import { NATIONAL_ID, TestHub } from './support/hub';
import { COMPLAINT_FIELDS, createUnit, hubCalendar, MUTATIONS, submit } from './support/lifecycle';

let hub: TestHub;
let calendar: WorkingCalendar;
let unitId: string;

beforeAll(async () => {
  hub = await TestHub.start();
  calendar = await hubCalendar(hub);
  unitId = await createUnit(hub, 'region-52.06', 'Dinas Pekerjaan Umum dan Penataan Ruang');
});
afterAll(() => hub?.stop());

const WITA = 'Asia/Makassar' as const;
const iso = (date: Date) => date.toISOString();

async function read(id: string, token: string) {
  const { data, errors } = await hub.query(
    `query($id: ID!) { complaint(id: $id) { ${COMPLAINT_FIELDS} followUps { body agency { id } authorRole }
      timeline { action fromStatus toStatus actorKind actorRole actorAgency { id } agency { id } note at } } }`,
    { id },
    token,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return data.complaint;
}

describe('a complaint through every state', () => {
  it('moves SUBMITTED → VERIFIED → FORWARDED → FOLLOWED_UP → (disputed) FORWARDED → FOLLOWED_UP → CLOSED with every deadline and the timeline', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const unitSystem = await hub.token('AGENCY_SYSTEM', unitId);
    const complaint = await submit(hub);

    let current = await read(complaint.id, admin);
    expect(current).toMatchObject({ status: 'SUBMITTED', version: 1, overdue: false, followUpDueAt: null, closesAt: null });
    expect(current.verifyDueAt).toBe(iso(calendar.endOfNthWorkingDayAfter(new Date(current.submittedAt), 3, WITA)));
    expect(current.verifyDueAt).toMatch(/T15:59:59\.999Z$/); // 23:59:59.999 WITA

    const verified = await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1, note: 'Lengkap' } }, admin);
    expect(verified.errors).toBeUndefined();
    expect(verified.data.verifyComplaint.complaint).toMatchObject({ status: 'VERIFIED', version: 2 });

    const forwarded = await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' } }, admin);
    expect(forwarded.errors).toBeUndefined();
    current = await read(complaint.id, admin);
    const forwardedAt = new Date(current.timeline[2].at);
    expect(current).toMatchObject({ status: 'FORWARDED', version: 3, assignedAgency: { id: 'region-52.06' }, overdue: false });
    expect(current.followUpDueAt).toBe(iso(calendar.endOfNthWorkingDayAfter(forwardedAt, 5, WITA)));

    // Inside the node, to a unit: the node's deadline stays.
    const toUnit = await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 3, agencyId: unitId, note: 'Ke Dinas PUPR' } }, admin);
    expect(toUnit.errors).toBeUndefined();
    expect(toUnit.data.forwardComplaint.complaint).toMatchObject({ assignedAgency: { id: unitId }, followUpDueAt: current.followUpDueAt, version: 4 });

    const followedUp = await hub.query(
      MUTATIONS.followUp,
      { input: { complaintId: complaint.id, version: 4, body: 'Perbaikan dijadwalkan pekan depan.' } },
      liaison,
    );
    expect(followedUp.errors).toBeUndefined();
    current = await read(complaint.id, admin);
    const followedUpAt = new Date(current.timeline[4].at);
    expect(current).toMatchObject({ status: 'FOLLOWED_UP', version: 5, overdue: false });
    expect(current.closesAt).toBe(iso(calendar.endOfNthWorkingDayAfter(followedUpAt, 10, WITA)));

    const disputed = await hub.query(MUTATIONS.reply, {
      input: { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Belum ada perbaikan.', satisfied: false },
    });
    expect(disputed.errors).toBeUndefined();
    current = await read(complaint.id, admin);
    const disputedAt = new Date(current.timeline[5].at);
    expect(current).toMatchObject({ status: 'FORWARDED', version: 6, disputeCount: 1, closesAt: null, assignedAgency: { id: unitId } });
    expect(current.followUpDueAt).toBe(iso(calendar.endOfNthWorkingDayAfter(disputedAt, 5, WITA)));

    const again = await hub.query(
      MUTATIONS.followUp,
      { input: { complaintId: complaint.id, version: 6, body: 'Jembatan selesai diperbaiki.' } },
      unitSystem,
    );
    expect(again.errors).toBeUndefined();

    const satisfied = await hub.query(MUTATIONS.reply, {
      input: { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Terima kasih.', satisfied: true },
    });
    expect(satisfied.errors).toBeUndefined();
    current = await read(complaint.id, admin);
    expect(current).toMatchObject({ status: 'CLOSED', closedBy: 'REPORTER', version: 8, overdue: false, closesAt: null, disputeCount: 1 });
    expect(current.followUps).toEqual([
      { body: 'Perbaikan dijadwalkan pekan depan.', agency: { id: unitId }, authorRole: 'LIAISON_OFFICER' },
      { body: 'Jembatan selesai diperbaiki.', agency: { id: unitId }, authorRole: 'AGENCY_SYSTEM' },
    ]);
    expect(current.timeline.map(({ at: _at, ...entry }: { at: string }) => entry)).toEqual([
      { action: 'SUBMIT', fromStatus: null, toStatus: 'SUBMITTED', actorKind: 'PUBLIC', actorRole: null, actorAgency: null, agency: { id: 'region-52.06' }, note: 'Submitted via WEB' },
      { action: 'VERIFY', fromStatus: 'SUBMITTED', toStatus: 'VERIFIED', actorKind: 'OFFICER', actorRole: 'AGENCY_ADMIN', actorAgency: { id: 'region-52.06' }, agency: null, note: 'Lengkap' },
      { action: 'FORWARD', fromStatus: 'VERIFIED', toStatus: 'FORWARDED', actorKind: 'OFFICER', actorRole: 'AGENCY_ADMIN', actorAgency: { id: 'region-52.06' }, agency: { id: 'region-52.06' }, note: null },
      { action: 'FORWARD', fromStatus: 'FORWARDED', toStatus: 'FORWARDED', actorKind: 'OFFICER', actorRole: 'AGENCY_ADMIN', actorAgency: { id: 'region-52.06' }, agency: { id: unitId }, note: 'Ke Dinas PUPR' },
      { action: 'FOLLOW_UP', fromStatus: 'FORWARDED', toStatus: 'FOLLOWED_UP', actorKind: 'OFFICER', actorRole: 'LIAISON_OFFICER', actorAgency: { id: 'region-52.06' }, agency: { id: unitId }, note: null },
      { action: 'REPLY_DISPUTED', fromStatus: 'FOLLOWED_UP', toStatus: 'FORWARDED', actorKind: 'REPORTER', actorRole: null, actorAgency: null, agency: { id: unitId }, note: 'Belum ada perbaikan.' },
      { action: 'FOLLOW_UP', fromStatus: 'FORWARDED', toStatus: 'FOLLOWED_UP', actorKind: 'OFFICER', actorRole: 'AGENCY_SYSTEM', actorAgency: { id: unitId }, agency: { id: unitId }, note: null },
      { action: 'REPLY_SATISFIED', fromStatus: 'FOLLOWED_UP', toStatus: 'CLOSED', actorKind: 'REPORTER', actorRole: null, actorAgency: null, agency: { id: unitId }, note: 'Terima kasih.' },
    ]);
    const times = current.timeline.map((entry: { at: string }) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('rejects with a reason the reporter reads, after which every other step is a CONFLICT', async () => {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const complaint = await submit(hub, { title: 'Sengketa tanah di pengadilan' });
    const rejected = await hub.query(
      MUTATIONS.reject,
      { input: { complaintId: complaint.id, version: 1, reason: 'Perkara sedang diperiksa pengadilan (di luar kewenangan).' } },
      national,
    );
    expect(rejected.data.rejectComplaint.complaint).toMatchObject({ status: 'REJECTED', overdue: false });
    const seen = await hub.query(`query($t: String!, $k: String) { complaintByTrackingId(trackingId: $t, reporterToken: $k) { status rejectionReason } }`, {
      t: complaint.trackingId,
      k: complaint.reporterToken,
    });
    expect(seen.data.complaintByTrackingId).toEqual({ status: 'REJECTED', rejectionReason: 'Perkara sedang diperiksa pengadilan (di luar kewenangan).' });
    for (const [mutation, extra] of [
      [MUTATIONS.verify, {}],
      [MUTATIONS.forward, { agencyId: 'kemenkes' }],
      [MUTATIONS.followUp, { body: 'x' }],
    ] as const) {
      const refused = await hub.query(mutation, { input: { complaintId: complaint.id, version: 2, ...extra } }, national);
      expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    }
    const reply = await hub.query(MUTATIONS.reply, { input: { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'x', satisfied: true } });
    expect(reply.errors?.[0].extensions?.code).toBe('CONFLICT');
    const [{ count }] = await hub.sql<{ count: number }>('complaints', 'select count(*)::int as count from complaints.timeline_entry where complaint_id = $1', [complaint.id]);
    expect(count).toBe(2);
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const complaint = await submit(hub);
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, admin);
    const stale = await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 1, agencyId: unitId } }, admin);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const after = await read(complaint.id, admin);
    expect(after).toMatchObject({ status: 'VERIFIED', version: 2, assignedAgency: null });
    expect(after.timeline).toHaveLength(2);
  });

  it('lets exactly one of two concurrent follow-ups on the same version win', async () => {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const complaint = await submit(hub);
    await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' } }, national);
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const results = await Promise.all(
      ['Tindak lanjut A', 'Tindak lanjut B'].map((body) =>
        hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: 3, body } }, liaison),
      ),
    );
    const winners = results.filter((result) => !result.errors);
    const losers = results.filter((result) => result.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].errors![0].extensions?.code).toBe('CONFLICT');
    const after = await read(complaint.id, national);
    expect(after.followUps).toHaveLength(1);
    expect(after.version).toBe(4);
    expect(after.timeline.filter((entry: { action: string }) => entry.action === 'FOLLOW_UP')).toHaveLength(1);
  });

  it('keeps the timeline append-only in the database itself', async () => {
    const complaint = await submit(hub);
    await expect(hub.sql('complaints', `update complaints.timeline_entry set note = 'x' where complaint_id = $1`, [complaint.id])).rejects.toThrow(/append-only/);
    await expect(hub.sql('complaints', `delete from complaints.timeline_entry where complaint_id = $1`, [complaint.id])).rejects.toThrow(/append-only/);
  });

  it('lists overdue complaints from the stored deadline', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.07');
    const late = await submit(hub, { regionCode: '52.07' });
    const onTime = await submit(hub, { regionCode: '52.07' });
    // The verification deadline of `late` passed (as if three working days went by).
    await hub.sql('complaints', `update complaints.complaint set verify_due_at = now() - interval '1 hour', current_due_at = now() - interval '1 hour' where id = $1`, [late.id]);
    const { data, errors } = await hub.query(
      `{ agency(id: "region-52.07") { late: addressedComplaints(overdue: true) { totalCount edges { node { id overdue } } }
         fine: addressedComplaints(overdue: false) { totalCount edges { node { id overdue } } } } }`,
      {},
      admin,
    );
    expect(errors).toBeUndefined();
    expect(data.agency.late).toEqual({ totalCount: 1, edges: [{ node: { id: late.id, overdue: true } }] });
    expect(data.agency.fine).toEqual({ totalCount: 1, edges: [{ node: { id: onTime.id, overdue: false } }] });
  });
});

describe('the closing sweep', () => {
  let orm: Orm;
  beforeAll(async () => {
    orm = await openDatabase({ clientUrl: hub.databases.urls.complaints, schema: 'complaints', entities: [ComplaintSchema], migrations: complaintsMigrations(new ContactSeal(hub.secrets.reporterContactKey)), poolMax: 2 });
  });
  afterAll(() => orm?.close());

  it('closes exactly the followed-up complaints whose closing date passed, once, however often it runs', async () => {
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.08');
    const followedUp: string[] = [];
    for (let i = 0; i < 3; i++) {
      const complaint = await submit(hub, { regionCode: '52.08' });
      await hub.query(MUTATIONS.verify, { input: { complaintId: complaint.id, version: 1 } }, national);
      await hub.query(MUTATIONS.forward, { input: { complaintId: complaint.id, version: 2, agencyId: 'region-52.08' } }, national);
      if (i < 2) {
        await hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: 3, body: 'Sudah ditangani.' } }, liaison);
        followedUp.push(complaint.id);
      }
    }
    const [{ closes_at: closesAt }] = await hub.sql<{ closes_at: Date }>('complaints', 'select max(closes_at) as closes_at from complaints.complaint where id = any($1)', [followedUp]);

    const sweepAt = new Date(closesAt.getTime() + 1);
    // Counted independently: every followed-up complaint of this file due by then (other tests' too).
    const [{ due }] = await hub.sql<{ due: number }>(
      'complaints',
      `select count(*)::int as due from complaints.complaint where status = 'FOLLOWED_UP' and closes_at <= $1`,
      [sweepAt],
    );
    expect(due).toBeGreaterThanOrEqual(2);

    expect(await closeSilentComplaints(orm.em.fork(), new Date(closesAt.getTime() - 86_400_000))).toBe(0);
    const runs = await Promise.all([1, 2].map(() => closeSilentComplaints(orm.em.fork(), sweepAt)));
    expect(runs[0] + runs[1]).toBe(due);
    expect(await closeSilentComplaints(orm.em.fork(), new Date(closesAt.getTime() + 86_400_000))).toBe(0);

    const rows = await hub.sql<{ status: string; closed_by: string | null; closes: number }>(
      'complaints',
      `select c.status, c.closed_by, (select count(*)::int from complaints.timeline_entry t where t.complaint_id = c.id and t.action = 'AUTO_CLOSE') as closes
       from complaints.complaint c where c.addressed_agency_id = 'region-52.08' order by c.status`,
    );
    expect(rows).toEqual([
      { status: 'CLOSED', closed_by: 'SYSTEM', closes: 1 },
      { status: 'CLOSED', closed_by: 'SYSTEM', closes: 1 },
      { status: 'FORWARDED', closed_by: null, closes: 0 },
    ]);
    const closed = await read(followedUp[0], national);
    expect(closed).toMatchObject({ status: 'CLOSED', closedBy: 'SYSTEM', version: 5, closesAt: null });
    expect(closed.timeline.at(-1)).toMatchObject({ action: 'AUTO_CLOSE', actorKind: 'SYSTEM', fromStatus: 'FOLLOWED_UP', toStatus: 'CLOSED' });
  });
});
