import { randomUUID } from 'node:crypto';
import { encodeCursor, type Viewer } from '@lapor-hub/lib';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { NATIONAL_ID, TestHub } from './support/hub';
import { hubCalendar, MUTATIONS, submit, type Submitted } from './support/lifecycle';

/**
 * The complaints side of an accepted escalation: the escalation service's outbox relay delivers
 * the acceptance (at least once) straight to the complaints subgraph, as a hub service; the
 * complaint is reassigned exactly once per event. And the service-only read of breached deadlines.
 */

let hub: TestHub;
let calendar: WorkingCalendar;
let national: string;

const ESCALATION: Viewer = { kind: 'service', name: 'escalation' };
const OFFICER: Viewer = { kind: 'officer', sub: 'test-national', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID };
const WITA = 'Asia/Makassar' as const;

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  calendar = await hubCalendar(hub);
});
afterAll(() => hub?.stop());

const FIELDS = `id status version supervisory followUpDueAt closesAt closedBy assignedAgency { id } reporter { name }
  timeline { action fromStatus toStatus actorKind actorRole actorAgency { id } agency { id } note at }`;

const APPLY = `mutation($input: EscalationAcceptanceInput!) {
  applyEscalationAcceptance(input: $input) { outcome complaint { ${FIELDS} } } }`;

const BREACHED = `query($dueBefore: DateTime!, $first: Int, $after: String) {
  breachedComplaints(dueBefore: $dueBefore, first: $first, after: $after) {
    items { complaintId assignedAgencyId followUpDueAt version } endCursor hasNextPage } }`;

/** A complaint on Kabupaten Bima (`region-52.06`), moved to FORWARDED there by the national admin (version 3). */
async function forwarded(): Promise<Submitted> {
  const complaint = await submit(hub);
  for (const [mutation, input] of [
    [MUTATIONS.verify, { complaintId: complaint.id, version: 1 }],
    [MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }],
  ] as const) {
    const { errors } = await hub.query(mutation, { input }, national);
    if (errors) throw new Error(JSON.stringify(errors));
  }
  return { ...complaint, version: 3 };
}

/** Nusa Tenggara Barat (the province, WITA) accepts an escalation of the complaint, as an event would say. */
function acceptance(complaintId: string, overrides: Record<string, unknown> = {}) {
  return {
    eventId: randomUUID(),
    escalationId: randomUUID(),
    complaintId,
    toAgencyId: 'region-52',
    supervisory: false,
    note: 'Diambil alih Pemerintah Provinsi NTB',
    acceptedAt: new Date().toISOString(),
    acceptedByRole: 'AGENCY_ADMIN',
    acceptedByAgencyId: 'region-52',
    ...overrides,
  };
}

async function deliver(input: Record<string, unknown>, viewer: Viewer = ESCALATION) {
  return hub.querySubgraph('complaints', APPLY, { input }, viewer);
}

async function read(id: string) {
  const { data, errors } = await hub.querySubgraph('complaints', `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`, { id }, ESCALATION);
  if (errors) throw new Error(JSON.stringify(errors));
  return data.complaint;
}

async function appliedEvents(eventId: string) {
  return hub.sql<{ escalation_id: string; complaint_id: string; outcome: string }>(
    'complaints',
    'select escalation_id, complaint_id, outcome from complaints.applied_event where event_id = $1',
    [eventId],
  );
}

const accepted = (complaint: { timeline: { action: string }[] }) => complaint.timeline.filter((entry) => entry.action === 'ESCALATION_ACCEPTED');

describe('applyEscalationAcceptance', () => {
  it('reassigns a forwarded complaint to the accepting node with a fresh follow-up deadline in its time zone', async () => {
    const complaint = await forwarded();
    const before = await read(complaint.id);
    const event = acceptance(complaint.id);

    const { data, errors } = await deliver(event);
    expect(errors).toBeUndefined();
    const result = data.applyEscalationAcceptance;
    expect(result.outcome).toBe('APPLIED');
    expect(result.complaint).toMatchObject({
      id: complaint.id,
      status: 'FORWARDED',
      version: before.version + 1,
      assignedAgency: { id: 'region-52' },
      supervisory: false,
      closesAt: null,
      // A service reads the complaint, never who reported it.
      reporter: null,
    });
    expect(result.complaint.followUpDueAt).toBe(calendar.endOfNthWorkingDayAfter(new Date(event.acceptedAt), 5, WITA).toISOString());
    expect(accepted(result.complaint)).toEqual([
      {
        action: 'ESCALATION_ACCEPTED',
        fromStatus: 'FORWARDED',
        toStatus: 'FORWARDED',
        actorKind: 'OFFICER',
        actorRole: 'AGENCY_ADMIN',
        actorAgency: { id: 'region-52' },
        agency: { id: 'region-52' },
        note: 'Diambil alih Pemerintah Provinsi NTB',
        at: event.acceptedAt,
      },
    ]);
    expect(result.complaint.timeline).toHaveLength(before.timeline.length + 1);
    expect(await appliedEvents(event.eventId)).toEqual([
      { escalation_id: event.escalationId, complaint_id: complaint.id, outcome: 'APPLIED' },
    ]);
    // The stored row agrees with the answer, the indexed current deadline included.
    const [row] = await hub.sql<{ current_due_at: Date; follow_up_due_at: Date }>(
      'complaints',
      'select current_due_at, follow_up_due_at from complaints.complaint where id = $1',
      [complaint.id],
    );
    expect(row.current_due_at.toISOString()).toBe(result.complaint.followUpDueAt);
    expect(row.follow_up_due_at.toISOString()).toBe(result.complaint.followUpDueAt);
  });

  it('applies a redelivered event once: sequentially, and with three deliveries at once', async () => {
    const first = await forwarded();
    const event = acceptance(first.id);
    const outcomes: string[] = [];
    for (let delivery = 0; delivery < 3; delivery++) {
      const { data, errors } = await deliver(event);
      expect(errors).toBeUndefined();
      outcomes.push(data.applyEscalationAcceptance.outcome);
      expect(data.applyEscalationAcceptance.complaint).toMatchObject({ version: first.version + 1, assignedAgency: { id: 'region-52' } });
    }
    expect(outcomes).toEqual(['APPLIED', 'ALREADY_APPLIED', 'ALREADY_APPLIED']);
    const afterSequential = await read(first.id);
    expect(afterSequential.version).toBe(first.version + 1);
    expect(accepted(afterSequential)).toHaveLength(1);
    expect(await appliedEvents(event.eventId)).toHaveLength(1);

    const second = await forwarded();
    const concurrent = acceptance(second.id);
    const results = await Promise.all([1, 2, 3].map(() => deliver(concurrent)));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(results.map((result) => result.data.applyEscalationAcceptance.outcome).sort()).toEqual(['ALREADY_APPLIED', 'ALREADY_APPLIED', 'APPLIED']);
    const afterConcurrent = await read(second.id);
    expect(afterConcurrent).toMatchObject({ version: second.version + 1, status: 'FORWARDED', assignedAgency: { id: 'region-52' } });
    expect(accepted(afterConcurrent)).toHaveLength(1);
    expect(await appliedEvents(concurrent.eventId)).toHaveLength(1);
  });

  it('refuses the same event id for another complaint (an upstream bug) and changes nothing', async () => {
    const one = await forwarded();
    const other = await forwarded();
    const event = acceptance(one.id);
    expect((await deliver(event)).errors).toBeUndefined();
    const reused = await deliver({ ...event, complaintId: other.id });
    expect(reused.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    expect(await read(other.id)).toMatchObject({ version: other.version, assignedAgency: { id: 'region-52.06' } });
  });

  it('applies to the current state when the complaint moved on meanwhile (followed up before the delivery)', async () => {
    const complaint = await forwarded();
    const event = acceptance(complaint.id);
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    const followedUp = await hub.query(MUTATIONS.followUp, { input: { complaintId: complaint.id, version: 3, body: 'Sedang ditangani.' } }, liaison);
    expect(followedUp.errors).toBeUndefined();
    expect(followedUp.data.postFollowUp.complaint).toMatchObject({ status: 'FOLLOWED_UP', version: 4 });
    expect(followedUp.data.postFollowUp.complaint.closesAt).not.toBeNull();

    const { data, errors } = await deliver(event);
    expect(errors).toBeUndefined();
    expect(data.applyEscalationAcceptance).toMatchObject({
      outcome: 'APPLIED',
      complaint: { status: 'FORWARDED', version: 5, assignedAgency: { id: 'region-52' }, closesAt: null },
    });
    expect(data.applyEscalationAcceptance.complaint.followUpDueAt).toBe(
      calendar.endOfNthWorkingDayAfter(new Date(event.acceptedAt), 5, WITA).toISOString(),
    );
    expect(accepted(data.applyEscalationAcceptance.complaint)).toEqual([
      expect.objectContaining({ fromStatus: 'FOLLOWED_UP', toStatus: 'FORWARDED', agency: { id: 'region-52' } }),
    ]);
  });

  it('changes nothing on a finished complaint, records NOT_APPLIED_FINISHED, and answers a redelivery ALREADY_APPLIED', async () => {
    const closed = await forwarded();
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    await hub.query(MUTATIONS.followUp, { input: { complaintId: closed.id, version: 3, body: 'Sudah diperbaiki.' } }, liaison);
    const replied = await hub.query(MUTATIONS.reply, {
      input: { trackingId: closed.trackingId, reporterToken: closed.reporterToken, body: 'Terima kasih.', satisfied: true },
    });
    expect(replied.data.replyToComplaint.complaint).toMatchObject({ status: 'CLOSED', version: 5 });

    const rejected = await submit(hub);
    await hub.query(MUTATIONS.reject, { input: { complaintId: rejected.id, version: 1, reason: 'Di luar kewenangan.' } }, national);

    for (const { id } of [closed, rejected]) {
      const before = await read(id);
      const event = acceptance(id);
      const { data, errors } = await deliver(event);
      expect(errors).toBeUndefined();
      expect(data.applyEscalationAcceptance.outcome).toBe('NOT_APPLIED_FINISHED');
      expect(data.applyEscalationAcceptance.complaint).toEqual(before);
      expect(await read(id)).toEqual(before);
      expect(await appliedEvents(event.eventId)).toEqual([
        { escalation_id: event.escalationId, complaint_id: id, outcome: 'NOT_APPLIED_FINISHED' },
      ]);

      const again = await deliver(event);
      expect(again.data.applyEscalationAcceptance).toEqual({ outcome: 'ALREADY_APPLIED', complaint: before });
      expect(await appliedEvents(event.eventId)).toHaveLength(1);
    }
  });

  it('makes the complaint supervisory when the escalation was, and records a system acceptance as SYSTEM', async () => {
    const complaint = await forwarded();
    const event = acceptance(complaint.id, { supervisory: true, acceptedByRole: null, acceptedByAgencyId: null, note: null });
    const { data, errors } = await deliver(event);
    expect(errors).toBeUndefined();
    expect(data.applyEscalationAcceptance.complaint).toMatchObject({ supervisory: true, status: 'FORWARDED', version: 4 });
    expect(accepted(data.applyEscalationAcceptance.complaint)).toEqual([
      expect.objectContaining({ actorKind: 'SYSTEM', actorRole: null, actorAgency: null, note: null, agency: { id: 'region-52' } }),
    ]);
    // A later acceptance that is not supervisory never takes the marking away.
    const later = await deliver(acceptance(complaint.id, { supervisory: false }));
    expect(later.data.applyEscalationAcceptance.complaint).toMatchObject({ supervisory: true, version: 5 });
  });

  it('refuses an unknown complaint (NOT_FOUND) and a target that is not a hub node (BAD_USER_INPUT), recording nothing', async () => {
    const missing = acceptance(randomUUID());
    expect((await deliver(missing)).errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await appliedEvents(missing.eventId)).toEqual([]);

    const complaint = await forwarded();
    const nowhere = acceptance(complaint.id, { toAgencyId: 'no-such-node' });
    const refused = await deliver(nowhere);
    expect(refused.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.toAgencyId' })]);
    expect(await appliedEvents(nowhere.eventId)).toEqual([]);
    expect((await read(complaint.id)).version).toBe(complaint.version);

    const malformed = await deliver(acceptance(complaint.id, { eventId: 'not-a-uuid' }));
    expect(malformed.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.eventId' })]);
  });
});

describe('service-only operations', () => {
  it('are FORBIDDEN on the subgraph to anyone but a hub service, and change nothing', async () => {
    const complaint = await forwarded();
    const event = acceptance(complaint.id);
    for (const viewer of [OFFICER, { kind: 'public' } as const, { kind: 'service', name: 'gateway' } as const]) {
      const applied = await deliver(event, viewer);
      expect(applied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      const breached = await hub.querySubgraph('complaints', BREACHED, { dueBefore: new Date().toISOString() }, viewer);
      expect(breached.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(await appliedEvents(event.eventId)).toEqual([]);
    expect((await read(complaint.id)).version).toBe(complaint.version);
  });

  it('do not exist in the public API (@inaccessible): the gateway refuses them as invalid', async () => {
    const complaint = await forwarded();
    const applied = await hub.query(APPLY, { input: acceptance(complaint.id) }, national);
    expect(applied.data).toBeUndefined();
    // Both the field and its input type are unknown to the gateway.
    expect(applied.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(applied.errors?.map((error) => error.message).join('\n')).toMatch(/"applyEscalationAcceptance"/);
    expect(applied.errors?.map((error) => error.message).join('\n')).toMatch(/"EscalationAcceptanceInput"/);
    const breached = await hub.query(BREACHED, { dueBefore: new Date().toISOString() }, national);
    expect(breached.data).toBeUndefined();
    expect(breached.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(breached.errors?.[0].message).toMatch(/"breachedComplaints"/);
    expect((await read(complaint.id)).version).toBe(complaint.version);
  });
});

describe('breachedComplaints', () => {
  it('pages the forwarded complaints past their follow-up deadline in deadline order, one SQL statement per page', async () => {
    const later = await forwarded();
    const earlier = await forwarded();
    const followedUp = await forwarded();
    const onTime = await forwarded();
    const liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
    await hub.query(MUTATIONS.followUp, { input: { complaintId: followedUp.id, version: 3, body: 'Ditangani.' } }, liaison);
    // Deadlines in the past, to the microsecond as PostgreSQL keeps them (the cursor must keep them too).
    for (const [id, ago] of [
      [later.id, '2 hours'],
      [earlier.id, '3 hours'],
      [followedUp.id, '4 hours'],
    ]) {
      await hub.sql('complaints', `update complaints.complaint set follow_up_due_at = now() - $2::interval where id = $1`, [id, ago]);
    }
    const rows = await hub.sql<{ id: string; follow_up_due_at: Date; version: number }>(
      'complaints',
      'select id, follow_up_due_at, version from complaints.complaint where id = any($1)',
      [[earlier.id, later.id]],
    );
    const expected = (complaint: Submitted) => {
      const row = rows.find((candidate) => candidate.id === complaint.id)!;
      return { complaintId: complaint.id, assignedAgencyId: 'region-52.06', followUpDueAt: row.follow_up_due_at.toISOString(), version: row.version };
    };
    const dueBefore = new Date(Date.now() - 60 * 60_000).toISOString();

    hub.sqlCounter.reset();
    const first = await hub.querySubgraph('complaints', BREACHED, { dueBefore, first: 1 }, ESCALATION);
    expect(first.errors).toBeUndefined();
    expect(hub.sqlCounter.count('complaints')).toBe(1);
    expect(first.data.breachedComplaints).toMatchObject({ items: [expected(earlier)], hasNextPage: true });

    hub.sqlCounter.reset();
    const second = await hub.querySubgraph(
      'complaints',
      BREACHED,
      { dueBefore, first: 1, after: first.data.breachedComplaints.endCursor },
      ESCALATION,
    );
    expect(second.errors).toBeUndefined();
    expect(hub.sqlCounter.count('complaints')).toBe(1);
    expect(second.data.breachedComplaints).toMatchObject({ items: [expected(later)], hasNextPage: false });

    const third = await hub.querySubgraph(
      'complaints',
      BREACHED,
      { dueBefore, first: 1, after: second.data.breachedComplaints.endCursor },
      ESCALATION,
    );
    expect(third.data.breachedComplaints).toEqual({ items: [], endCursor: null, hasNextPage: false });

    // All at once (default page size): exactly those two, never the followed-up nor the on-time one.
    const all = await hub.querySubgraph('complaints', BREACHED, { dueBefore }, ESCALATION);
    expect(all.data.breachedComplaints.items).toEqual([expected(earlier), expected(later)]);
    expect(all.data.breachedComplaints.items.map((item: { complaintId: string }) => item.complaintId)).not.toContain(onTime.id);
  });

  it('refuses a page size above 100 and a cursor it did not issue', async () => {
    const dueBefore = new Date().toISOString();
    const tooMany = await hub.querySubgraph('complaints', BREACHED, { dueBefore, first: 101 }, ESCALATION);
    expect(tooMany.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'first' })]);
    for (const after of ['not-a-cursor', encodeCursor(['yesterday', 'x']), encodeCursor([new Date().toISOString(), randomUUID(), 'extra'])]) {
      const forged = await hub.querySubgraph('complaints', BREACHED, { dueBefore, after }, ESCALATION);
      expect(forged.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
    }
  });
});
