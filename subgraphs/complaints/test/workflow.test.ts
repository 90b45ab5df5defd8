import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { newComplaint } from '../src/domain/submission';
import { currentDeadline, isFinished, isOverdue, nextStatus, requireVersion, takeStep, type LifecycleAction } from '../src/domain/workflow';
import { COMPLAINT_STATUSES, type Complaint, type ComplaintStatus } from '../src/entities/complaint';
import { IDENTITY, OTHER_REGENCY, REGENCY, SUBMISSION, UNIT } from './fixtures';

const calendar = new WorkingCalendar([]);
const at = (iso: string) => new Date(iso);

const submitted = (status: ComplaintStatus = 'SUBMITTED', changes: Partial<Complaint> = {}): Complaint => ({
  ...newComplaint(SUBMISSION, IDENTITY, REGENCY, calendar, at('2026-03-02T02:00:00Z')),
  status,
  ...changes,
});

const ALLOWED: Record<LifecycleAction, ComplaintStatus[]> = {
  VERIFY: ['SUBMITTED'],
  REJECT: ['SUBMITTED', 'VERIFIED'],
  FORWARD: ['VERIFIED', 'FORWARDED'],
  FOLLOW_UP: ['FORWARDED'],
  REPLY_SATISFIED: ['FOLLOWED_UP'],
  REPLY_DISPUTED: ['FOLLOWED_UP'],
  AUTO_CLOSE: ['FOLLOWED_UP'],
  ESCALATION_ACCEPTED: ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP'],
  MARK_DUPLICATE: ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP'],
};
const LEADS_TO: Record<LifecycleAction, ComplaintStatus> = {
  VERIFY: 'VERIFIED',
  REJECT: 'REJECTED',
  FORWARD: 'FORWARDED',
  FOLLOW_UP: 'FOLLOWED_UP',
  REPLY_SATISFIED: 'CLOSED',
  REPLY_DISPUTED: 'FORWARDED',
  AUTO_CLOSE: 'CLOSED',
  ESCALATION_ACCEPTED: 'FORWARDED',
  MARK_DUPLICATE: 'CLOSED',
};

describe('nextStatus', () => {
  it.each(Object.keys(ALLOWED) as LifecycleAction[])('%s: leads from the statuses the workflow allows, and is a CONFLICT from any other', (action) => {
    for (const status of COMPLAINT_STATUSES) {
      if (ALLOWED[action].includes(status)) {
        expect(nextStatus(status, action)).toBe(LEADS_TO[action]);
      } else {
        expect(() => nextStatus(status, action)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT' }) }));
      }
    }
  });

  it('leads nowhere out of a finished complaint', () => {
    expect(COMPLAINT_STATUSES.filter((status) => isFinished({ status }))).toEqual(['CLOSED', 'REJECTED']);
  });
});

describe('currentDeadline and isOverdue', () => {
  const verifyDueAt = at('2026-03-05T15:59:59.999Z');
  const followUpDueAt = at('2026-03-12T15:59:59.999Z');

  it('is the verification deadline while SUBMITTED or VERIFIED, the follow-up one while FORWARDED, else none', () => {
    const deadlines = COMPLAINT_STATUSES.map((status) => [status, currentDeadline({ status, verifyDueAt, followUpDueAt })]);
    expect(deadlines).toEqual([
      ['SUBMITTED', verifyDueAt],
      ['VERIFIED', verifyDueAt],
      ['FORWARDED', followUpDueAt],
      ['FOLLOWED_UP', null],
      ['CLOSED', null],
      ['REJECTED', null],
    ]);
  });

  it('is overdue only once the current deadline has passed', () => {
    expect(isOverdue({ currentDueAt: null }, at('2030-01-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ currentDueAt: verifyDueAt }, verifyDueAt)).toBe(false);
    expect(isOverdue({ currentDueAt: verifyDueAt }, at('2026-03-05T16:00:00Z'))).toBe(true);
    expect(isOverdue({ currentDueAt: verifyDueAt }, at('2026-03-04T00:00:00Z'))).toBe(false);
  });

  it('refuses a change asked at a version the complaint has left', () => {
    expect(() => requireVersion({ version: 3 }, 3)).not.toThrow();
    expect(() => requireVersion({ version: 3 }, 2)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONFLICT' }) }));
  });
});

describe('takeStep', () => {
  // Monday 2 March 2026, 10:00 in Lombok (WITA).
  const monday = at('2026-03-02T02:00:00Z');

  it('forwards to a new node with a fresh follow-up deadline (5 working days in its zone) and moves the holder', () => {
    const complaint = submitted('VERIFIED');
    expect(takeStep(complaint, { action: 'FORWARD', target: UNIT, assigned: null }, monday, calendar)).toEqual({
      action: 'FORWARD',
      fromStatus: 'VERIFIED',
      toStatus: 'FORWARDED',
      agencyId: UNIT.id,
    });
    expect(complaint).toMatchObject({
      status: 'FORWARDED',
      assignedAgencyId: UNIT.id,
      forwardedAt: monday,
      followUpDueAt: at('2026-03-09T15:59:59.999Z'),
      currentDueAt: at('2026-03-09T15:59:59.999Z'),
      holderHomeId: REGENCY.id,
      holderHomeKind: 'REGENCY',
      holderPath: [UNIT.id, REGENCY.id, 'region-52', 'national'],
    });
  });

  it('closes a complaint as a duplicate: no deadline left, the original named, the closer recorded', () => {
    const complaint = submitted('FOLLOWED_UP', { closesAt: at('2026-03-16T15:59:59.999Z') });
    const original = '00000000-0000-4000-8000-000000000099';
    expect(takeStep(complaint, { action: 'MARK_DUPLICATE', duplicateOfId: original }, monday, calendar)).toEqual({
      action: 'MARK_DUPLICATE',
      fromStatus: 'FOLLOWED_UP',
      toStatus: 'CLOSED',
      agencyId: null,
    });
    expect(complaint).toMatchObject({ status: 'CLOSED', closedBy: 'DUPLICATE', closedAt: monday, closesAt: null, currentDueAt: null, duplicateOfId: original });
  });

  it('keeps the node’s deadline when a forwarded complaint moves to a unit inside the same node', () => {
    const dueAt = at('2026-03-04T15:59:59.999Z');
    const complaint = submitted('FORWARDED', { assignedAgencyId: REGENCY.id, followUpDueAt: dueAt, forwardedAt: at('2026-02-25T02:00:00Z') });
    takeStep(complaint, { action: 'FORWARD', target: UNIT, assigned: REGENCY }, monday, calendar);
    expect(complaint).toMatchObject({ assignedAgencyId: UNIT.id, followUpDueAt: dueAt, forwardedAt: at('2026-02-25T02:00:00Z'), currentDueAt: dueAt });
    expect(() => takeStep(complaint, { action: 'FORWARD', target: UNIT, assigned: UNIT }, monday, calendar)).toThrow('already assigned');
  });

  it('follows up: the complaint closes by itself 10 working days later; the working days taken are recorded', () => {
    const complaint = submitted('FORWARDED', { assignedAgencyId: REGENCY.id, forwardedAt: at('2026-02-25T02:00:00Z'), followUpDueAt: at('2026-03-04T15:59:59.999Z') });
    takeStep(complaint, { action: 'FOLLOW_UP', assigned: REGENCY }, monday, calendar);
    expect(complaint).toMatchObject({
      status: 'FOLLOWED_UP',
      followedUpAt: monday,
      followUpWorkingDays: 3,
      closesAt: at('2026-03-16T15:59:59.999Z'),
      currentDueAt: null,
    });
  });

  it('sends a disputed follow-up back with a fresh deadline, and closes a satisfied one', () => {
    const disputed = submitted('FOLLOWED_UP', { assignedAgencyId: REGENCY.id, closesAt: at('2026-03-16T15:59:59.999Z') });
    expect(takeStep(disputed, { action: 'REPLY_DISPUTED', assigned: REGENCY }, monday, calendar).toStatus).toBe('FORWARDED');
    expect(disputed).toMatchObject({ disputeCount: 1, closesAt: null, followUpDueAt: at('2026-03-09T15:59:59.999Z'), currentDueAt: at('2026-03-09T15:59:59.999Z') });

    const satisfied = submitted('FOLLOWED_UP', { assignedAgencyId: REGENCY.id, closesAt: at('2026-03-16T15:59:59.999Z') });
    takeStep(satisfied, { action: 'REPLY_SATISFIED' }, monday, calendar);
    expect(satisfied).toMatchObject({ status: 'CLOSED', closedBy: 'REPORTER', closedAt: monday, closesAt: null, currentDueAt: null });
  });

  it('hands an accepted escalation to its target, and never makes a supervisory complaint ordinary again', () => {
    const complaint = submitted('FOLLOWED_UP', { assignedAgencyId: REGENCY.id, supervisory: true, closesAt: at('2026-03-16T15:59:59.999Z') });
    takeStep(complaint, { action: 'ESCALATION_ACCEPTED', target: OTHER_REGENCY, supervisory: false }, monday, calendar);
    expect(complaint).toMatchObject({
      status: 'FORWARDED',
      assignedAgencyId: OTHER_REGENCY.id,
      supervisory: true,
      closesAt: null,
      forwardedAt: monday,
      followUpDueAt: at('2026-03-09T15:59:59.999Z'),
    });
  });

  it('checks the transition before changing anything', () => {
    const complaint = submitted('CLOSED');
    const before = { ...complaint };
    expect(() => takeStep(complaint, { action: 'REJECT', reason: 'spam' }, monday, calendar)).toThrow('cannot take REJECT');
    expect(complaint).toEqual(before);
  });
});
