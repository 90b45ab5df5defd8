import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { newComplaint, submissionFingerprint } from '../src/domain/submission';
import { IDENTITY as identity, JAKARTA, PAPUA, SUBMISSION, UNIT } from './fixtures';

const input = { ...SUBMISSION, confidential: true };

const at = (iso: string) => new Date(iso);
const noLeave = new WorkingCalendar([]);

describe('newComplaint', () => {
  it('is due for verification at the end of the 3rd working day after submission: a Friday counts from Monday', () => {
    // Friday 6 March 2026, 10:00 WIB.
    const complaint = newComplaint(input, identity, JAKARTA, noLeave, at('2026-03-06T03:00:00Z'));
    // Wednesday 11 March, 23:59:59.999 WIB.
    expect(complaint.verifyDueAt).toEqual(at('2026-03-11T16:59:59.999Z'));
    expect(complaint.currentDueAt).toEqual(complaint.verifyDueAt);
  });

  it('skips national holidays and cuti bersama days', () => {
    // Friday 14 August 2026: Monday the 17th is Independence Day.
    expect(newComplaint(input, identity, JAKARTA, noLeave, at('2026-08-14T03:00:00Z')).verifyDueAt).toEqual(at('2026-08-20T16:59:59.999Z'));
    // A cuti bersama day on Tuesday 10 March moves the Friday submission's deadline to Thursday.
    expect(newComplaint(input, identity, JAKARTA, new WorkingCalendar(['2026-03-10']), at('2026-03-06T03:00:00Z')).verifyDueAt).toEqual(
      at('2026-03-12T16:59:59.999Z'),
    );
  });

  it('counts in the addressed node’s zone: one instant is Thursday night in Jakarta (WIB) and Friday in Jayapura (WIT)', () => {
    const instant = at('2026-03-05T16:30:00Z');
    // WIB: Thursday 23:30, so Friday, Monday, Tuesday; the end of Tuesday 10 March in WIB.
    expect(newComplaint(input, identity, JAKARTA, noLeave, instant).verifyDueAt).toEqual(at('2026-03-10T16:59:59.999Z'));
    // WIT: already Friday 01:30, so Monday, Tuesday, Wednesday; the end of Wednesday 11 March in WIT.
    expect(newComplaint(input, identity, PAPUA, noLeave, instant).verifyDueAt).toEqual(at('2026-03-11T14:59:59.999Z'));
  });

  it('sets every other derived field: status, holder, and the fingerprint only with an idempotency key', () => {
    const now = at('2026-03-06T03:00:00Z');
    const complaint = newComplaint(input, identity, UNIT, noLeave, now);
    expect(complaint).toMatchObject({
      ...identity,
      status: 'SUBMITTED',
      confidential: true,
      addressedAgencyId: UNIT.id,
      assignedAgencyId: null,
      submittedAt: now,
      updatedAt: now,
      followUpDueAt: null,
      closesAt: null,
      disputeCount: 0,
      supervisory: false,
      holderHomeId: 'region-52.08',
      holderHomeKind: 'REGENCY',
      holderPath: [UNIT.id, 'region-52.08', 'region-52', 'national'],
      submissionFingerprint: null,
      version: 1,
    });
    const keyed = { ...input, idempotencyKey: 'retry-key-0001' };
    expect(newComplaint(keyed, identity, UNIT, noLeave, now).submissionFingerprint).toBe(submissionFingerprint(keyed));
  });

  it('keeps what a retry needs only with an idempotency key: its scope, and the sealed token for 24 hours', () => {
    const now = at('2026-03-06T03:00:00Z');
    const retry = { idempotencyScope: '["officer","region-52.06","sp4n"]', reporterTokenSealed: Buffer.from('sealed') };
    expect(newComplaint({ ...input, idempotencyKey: '0d6f0f3e-2b53-4b55-9d8b-0c2f6f0e4b11' }, identity, UNIT, noLeave, now, retry)).toMatchObject({
      ...retry,
      reporterTokenSealedUntil: at('2026-03-07T03:00:00Z'),
    });
    expect(newComplaint(input, identity, UNIT, noLeave, now, retry)).toMatchObject({ idempotencyScope: null, reporterTokenSealed: null, reporterTokenSealedUntil: null });
  });
});
