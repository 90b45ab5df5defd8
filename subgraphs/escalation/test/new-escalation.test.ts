import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { isSupervisoryEscalation, newEscalation, type EscalationRequest } from '../src/domain/escalation';
import { slaBreachTarget } from '../src/domain/routing';
import { inspectorate, ministry, national, officer, province, regency } from './nodes';

const noLeave = new WorkingCalendar([]);
// Friday 14 August 2026, 10:00 in Jakarta; Monday the 17th is Independence Day.
const fridayBeforeHoliday = new Date('2026-08-14T03:00:00Z');

const request = (overrides: Partial<EscalationRequest> = {}): EscalationRequest => ({
  complaint: { id: '0b3f8a36-6c59-4a51-9d4b-7d0cf7e3b1a2', supervisory: false },
  from: regency,
  to: province,
  reason: 'HIGHER_AUTHORITY',
  note: 'Needs the province',
  actor: officer('LIAISON_OFFICER', regency.id),
  calendar: noLeave,
  now: fridayBeforeHoliday,
  ...overrides,
});

describe('newEscalation', () => {
  it('is due at the end of the 3rd working day, past the weekend and the holiday, in the target’s zone', () => {
    // Sat 15, Sun 16 and Mon 17 (a holiday) do not count: Tue 18, Wed 19, Thu 20.
    expect(newEscalation(request({ to: { ...national, timeZone: 'Asia/Jakarta' } })).respondDueAt).toEqual(new Date('2026-08-20T16:59:59.999Z'));
    expect(newEscalation(request({ to: province })).respondDueAt).toEqual(new Date('2026-08-20T15:59:59.999Z'));
    expect(newEscalation(request({ to: { ...province, timeZone: 'Asia/Jayapura' } })).respondDueAt).toEqual(new Date('2026-08-20T14:59:59.999Z'));
  });

  it('skips the collective leave days of the calendar it is given', () => {
    const withLeave = new WorkingCalendar(['2026-08-18']);
    expect(newEscalation(request({ calendar: withLeave })).respondDueAt).toEqual(new Date('2026-08-21T15:59:59.999Z'));
  });

  it('counts from the target’s local date: late on Thursday in Jakarta is already Friday in Jayapura', () => {
    const thursdayNight = new Date('2026-08-13T16:30:00Z'); // 23:30 WIB Thursday, 01:30 WIT Friday
    // Jakarta: Fri 14, Tue 18, Wed 19. Jayapura: Tue 18, Wed 19, Thu 20.
    expect(newEscalation(request({ now: thursdayNight, to: { ...national, timeZone: 'Asia/Jakarta' } })).respondDueAt).toEqual(
      new Date('2026-08-19T16:59:59.999Z'),
    );
    expect(newEscalation(request({ now: thursdayNight, to: { ...province, timeZone: 'Asia/Jayapura' } })).respondDueAt).toEqual(
      new Date('2026-08-20T14:59:59.999Z'),
    );
  });

  it('keys the escalation at the target’s home node and every scope above it', () => {
    const toProvince = newEscalation(request());
    expect(toProvince).toMatchObject({ toAgencyId: province.id, toHomeId: province.id, toPath: [province.id, national.id] });
    const toUnit = newEscalation(request({ to: inspectorate, reason: 'SUPERVISORY' }));
    expect(toUnit).toMatchObject({
      toAgencyId: inspectorate.id,
      toHomeId: regency.id,
      toPath: [inspectorate.id, regency.id, province.id, national.id],
    });
  });

  it('records who escalated, or nobody for the hub’s sweep', () => {
    const byOfficer = newEscalation(request());
    expect(byOfficer).toMatchObject({
      complaintId: '0b3f8a36-6c59-4a51-9d4b-7d0cf7e3b1a2',
      fromAgencyId: regency.id,
      reason: 'HIGHER_AUTHORITY',
      note: 'Needs the province',
      createdBy: `LIAISON_OFFICER@${regency.id}`,
      createdByRole: 'LIAISON_OFFICER',
      createdAt: fridayBeforeHoliday,
      breachedDueAt: null,
    });
    const missed = new Date('2026-08-13T16:59:59.999Z');
    const bySweep = newEscalation(request({ actor: null, reason: 'SLA_BREACH', breachedDueAt: missed }));
    expect(bySweep).toMatchObject({ createdBy: null, createdByRole: null, reason: 'SLA_BREACH', breachedDueAt: missed });
  });

  it('is supervisory when its complaint is, or when it asks the Inspectorate to take it', () => {
    expect(newEscalation(request()).supervisory).toBe(false);
    expect(newEscalation(request({ complaint: { id: 'c', supervisory: true } })).supervisory).toBe(true);
    expect(newEscalation(request({ reason: 'SUPERVISORY', to: inspectorate })).supervisory).toBe(true);
    expect(isSupervisoryEscalation(true, 'SLA_BREACH')).toBe(true);
    expect(isSupervisoryEscalation(false, 'NEEDS_COORDINATION')).toBe(false);
  });
});

describe('slaBreachTarget: where a missed follow-up deadline goes', () => {
  it('sends a regency (or its unit) to its province, the province to the national node, and the national node nowhere', () => {
    expect(slaBreachTarget(regency)).toBe(province.id);
    expect(slaBreachTarget(inspectorate)).toBe(province.id);
    expect(slaBreachTarget(province)).toBe(national.id);
    expect(slaBreachTarget(national)).toBeNull();
  });

  it('sends every other node, and a province’s or ministry’s unit, to the national node', () => {
    expect(slaBreachTarget(ministry)).toBe(national.id);
    const provinceUnit = { ...inspectorate, id: `${province.id}.unit-inspektorat`, parentId: province.id, parentKind: 'PROVINCE', ancestorIds: [province.id, national.id] };
    expect(slaBreachTarget(provinceUnit)).toBe(national.id);
    const ministryUnit = { ...inspectorate, id: `${ministry.id}.unit-itjen`, parentId: ministry.id, parentKind: 'MINISTRY', ancestorIds: [ministry.id, national.id] };
    expect(slaBreachTarget(ministryUnit)).toBe(national.id);
  });

  it('escalates a regency’s breach to a province-level SLA_BREACH escalation, counted in the province and the nation', () => {
    const escalation = newEscalation(request({ to: province, reason: 'SLA_BREACH', actor: null, breachedDueAt: new Date('2026-08-13T15:59:59.999Z') }));
    expect(escalation).toMatchObject({ fromAgencyId: regency.id, toAgencyId: province.id, toHomeId: province.id, toPath: [province.id, national.id] });
  });
});
