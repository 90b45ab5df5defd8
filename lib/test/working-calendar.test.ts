import { TIME_ZONES, type TimeZone } from '../src/time-zones';
import { localDate, WorkingCalendar } from '../src/working-calendar';

// Official SKB 2026 lists; date-holidays is expected to agree with the national holidays.
const NATIONAL_HOLIDAYS_2026 = [
  '2026-01-01',
  '2026-01-16',
  '2026-02-17',
  '2026-03-19',
  '2026-03-20',
  '2026-03-21',
  '2026-04-03',
  '2026-05-01',
  '2026-05-14',
  '2026-05-27',
  '2026-05-31',
  '2026-06-01',
  '2026-06-16',
  '2026-08-17',
  '2026-08-25',
  '2026-12-25',
];
const CUTI_BERSAMA_2026 = ['2026-02-16', '2026-03-18', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24'];

const calendar = new WorkingCalendar(CUTI_BERSAMA_2026);
const withoutCutiBersama = new WorkingCalendar([]);

const deadline = (from: string, n: number, zone: TimeZone = 'Asia/Jakarta', cal = calendar) =>
  cal.endOfNthWorkingDayAfter(new Date(from), n, zone).toISOString();

describe('WorkingCalendar.endOfNthWorkingDayAfter', () => {
  it('skips the weekend: Thursday + 3 working days ends on Tuesday', () => {
    // Thu 2026-11-19 10:00 WIB → Fri 20 (1), Mon 23 (2), Tue 24 (3).
    expect(deadline('2026-11-19T03:00:00Z', 3)).toBe('2026-11-24T16:59:59.999Z');
  });

  it('does not count the submission day itself, even when it is a working day', () => {
    // Tue 2026-11-24 08:00 WIB → Wed 25 (1).
    expect(deadline('2026-11-24T01:00:00Z', 1)).toBe('2026-11-25T16:59:59.999Z');
  });

  it('counts from Monday for a submission late on Friday', () => {
    // Fri 2026-11-20 23:30 WIB → Mon 23 (1), Tue 24 (2), Wed 25 (3).
    expect(deadline('2026-11-20T16:30:00Z', 3)).toBe('2026-11-25T16:59:59.999Z');
    // Fri 2026-11-20 22:30 WIB, the regulation's own example.
    expect(deadline('2026-11-20T15:30:00Z', 3)).toBe('2026-11-25T16:59:59.999Z');
  });

  it('gives the same deadline for the last millisecond of Friday and the first of Saturday', () => {
    // Fri 23:59:59.999 WIB and Sat 00:00 WIB → Mon 23 (1).
    expect(deadline('2026-11-20T16:59:59.999Z', 1)).toBe('2026-11-23T16:59:59.999Z');
    expect(deadline('2026-11-20T17:00:00.000Z', 1)).toBe('2026-11-23T16:59:59.999Z');
  });

  it('counts from Monday for submissions on Saturday and on Sunday', () => {
    // Sat 2026-11-21 09:00 WIB → Mon 23 (1), Tue 24 (2), Wed 25 (3).
    expect(deadline('2026-11-21T02:00:00Z', 3)).toBe('2026-11-25T16:59:59.999Z');
    // Sun 2026-11-22 15:00 WIB → the same three days.
    expect(deadline('2026-11-22T08:00:00Z', 3)).toBe('2026-11-25T16:59:59.999Z');
    // Sun 2026-11-22 → Mon 23 (1).
    expect(deadline('2026-11-22T08:00:00Z', 1)).toBe('2026-11-23T16:59:59.999Z');
  });

  it('skips a national holiday inside the window', () => {
    // Fri 2026-08-14 10:00 WIB → Sat 15, Sun 16, Mon 17 Independence Day, Tue 18 (1), Wed 19 (2), Thu 20 (3).
    expect(deadline('2026-08-14T03:00:00Z', 3)).toBe('2026-08-20T16:59:59.999Z');
    // ... Fri 21 (4), Mon 24 (5), Tue 25 Maulid Nabi, Wed 26 (6).
    expect(deadline('2026-08-14T03:00:00Z', 6)).toBe('2026-08-26T16:59:59.999Z');
  });

  it('skips cuti bersama inside the window', () => {
    // Wed 2026-12-23 10:00 WIB → Thu 24 cuti bersama, Fri 25 Christmas, Sat 26, Sun 27,
    // Mon 28 (1), Tue 29 (2), Wed 30 (3).
    expect(deadline('2026-12-23T03:00:00Z', 3)).toBe('2026-12-30T16:59:59.999Z');
  });

  it('crosses the Idul Fitri 2026 block of holidays, cuti bersama and weekend', () => {
    // Tue 2026-03-17 10:00 WIB → Wed 18 cuti bersama, Thu 19 Nyepi, Fri 20 and Sat 21 Idul Fitri,
    // Sun 22, Mon 23 and Tue 24 cuti bersama, Wed 25 (1), Thu 26 (2), Fri 27 (3), Mon 30 (4), Tue 31 (5).
    expect(deadline('2026-03-17T03:00:00Z', 1)).toBe('2026-03-25T16:59:59.999Z');
    expect(deadline('2026-03-17T03:00:00Z', 5)).toBe('2026-03-31T16:59:59.999Z');
  });

  it('counts 10 working days across the year boundary', () => {
    // Tue 2026-12-22 10:00 WIB → Wed 23 (1), Thu 24 cuti bersama, Fri 25 Christmas, Mon 28 (2), Tue 29 (3),
    // Wed 30 (4), Thu 31 (5), Fri 2027-01-01 New Year, Mon 4 (6), Tue 5 holiday in date-holidays
    // (Isra Mi'raj), Wed 6 (7), Thu 7 (8), Fri 8 (9), Mon 11 (10).
    expect(deadline('2026-12-22T03:00:00Z', 10)).toBe('2027-01-11T16:59:59.999Z');
  });

  it('gives an earlier deadline when the cuti bersama table is empty', () => {
    // Without cuti bersama: Tue 2026-03-17 → Wed 18 (1), Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    expect(deadline('2026-03-17T03:00:00Z', 5, 'Asia/Jakarta', withoutCutiBersama)).toBe('2026-03-26T16:59:59.999Z');
    // Without cuti bersama: Wed 2026-12-23 → Thu 24 (1), Mon 28 (2), Tue 29 (3).
    expect(deadline('2026-12-23T03:00:00Z', 3, 'Asia/Jakarta', withoutCutiBersama)).toBe('2026-12-29T16:59:59.999Z');
  });

  it('keeps its own copy of the cuti bersama days', () => {
    const days = ['2026-12-24'];
    const copied = new WorkingCalendar(days);
    days.pop();
    expect(copied.dayOffReason('2026-12-24')).toBe('COLLECTIVE_LEAVE');
  });

  describe('time zones', () => {
    // 2026-11-24T16:30Z is Tue 23:30 WIB but already Wed 00:30 WITA and Wed 01:30 WIT.
    const nearMidnight = '2026-11-24T16:30:00Z';

    it('starts from the local date in each zone near midnight', () => {
      // WIB: Wed 25 (1). WITA and WIT: Thu 26 (1).
      expect(deadline(nearMidnight, 1, 'Asia/Jakarta')).toBe('2026-11-25T16:59:59.999Z');
      expect(deadline(nearMidnight, 1, 'Asia/Makassar')).toBe('2026-11-26T15:59:59.999Z');
      expect(deadline(nearMidnight, 1, 'Asia/Jayapura')).toBe('2026-11-26T14:59:59.999Z');
      // WIB: Wed 25, Thu 26, Fri 27 (3). WITA and WIT: Thu 26, Fri 27, Mon 30 (3).
      expect(deadline(nearMidnight, 3, 'Asia/Jakarta')).toBe('2026-11-27T16:59:59.999Z');
      expect(deadline(nearMidnight, 3, 'Asia/Makassar')).toBe('2026-11-30T15:59:59.999Z');
      expect(deadline(nearMidnight, 3, 'Asia/Jayapura')).toBe('2026-11-30T14:59:59.999Z');
    });

    it('ends the same local day an hour apart per zone when the local dates agree', () => {
      // 2026-11-24T03:00Z is Tue 10:00 WIB, 11:00 WITA, 12:00 WIT → Wed 25 23:59:59.999 local.
      expect(deadline('2026-11-24T03:00:00Z', 1, 'Asia/Jakarta')).toBe('2026-11-25T16:59:59.999Z');
      expect(deadline('2026-11-24T03:00:00Z', 1, 'Asia/Makassar')).toBe('2026-11-25T15:59:59.999Z');
      expect(deadline('2026-11-24T03:00:00Z', 1, 'Asia/Jayapura')).toBe('2026-11-25T14:59:59.999Z');
    });

    it('lists the three Indonesian zones', () => {
      expect(TIME_ZONES).toEqual(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);
    });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects n = %p', (n) => {
    expect(() => calendar.endOfNthWorkingDayAfter(new Date('2026-11-24T03:00:00Z'), n, 'Asia/Jakarta')).toThrow(RangeError);
  });

  it('rejects an invalid Date and an unknown zone', () => {
    expect(() => calendar.endOfNthWorkingDayAfter(new Date('not a date'), 1, 'Asia/Jakarta')).toThrow(RangeError);
    expect(() => calendar.endOfNthWorkingDayAfter(new Date('2026-11-24T03:00:00Z'), 1, 'Asia/Pontianak' as never)).toThrow(RangeError);
  });
});

describe('WorkingCalendar.dayOffReason and isWorkingDay', () => {
  it.each([
    ['2026-11-21', 'WEEKEND'],
    ['2026-11-22', 'WEEKEND'],
    ['2026-08-17', 'NATIONAL_HOLIDAY'],
    ['2026-01-16', 'NATIONAL_HOLIDAY'],
    ['2026-12-24', 'COLLECTIVE_LEAVE'],
    ['2026-03-23', 'COLLECTIVE_LEAVE'],
    ['2026-11-24', null],
    ['2026-12-31', null],
  ])('gives %s as %p', (date, reason) => {
    expect(calendar.dayOffReason(date)).toBe(reason);
    expect(calendar.isWorkingDay(date)).toBe(reason === null);
  });

  it('prefers WEEKEND for a holiday on a weekend, and NATIONAL_HOLIDAY for cuti bersama on a holiday', () => {
    // Sat 2026-03-21 Idul Fitri and Sun 2026-05-31 Waisak.
    expect(calendar.dayOffReason('2026-03-21')).toBe('WEEKEND');
    expect(calendar.dayOffReason('2026-05-31')).toBe('WEEKEND');
    expect(new WorkingCalendar(['2026-08-17']).dayOffReason('2026-08-17')).toBe('NATIONAL_HOLIDAY');
  });

  it.each(NATIONAL_HOLIDAYS_2026)('treats the 2026 national holiday %s as a day off', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
    expect(withoutCutiBersama.isWorkingDay(date)).toBe(false);
  });

  it.each(CUTI_BERSAMA_2026)('treats the 2026 cuti bersama %s as a day off only when listed', (date) => {
    expect(calendar.dayOffReason(date)).toBe('COLLECTIVE_LEAVE');
    expect(withoutCutiBersama.isWorkingDay(date)).toBe(true);
  });

  it('counts 240 working days in 2026', () => {
    // 261 weekdays, less 14 national holidays and 7 cuti bersama that fall on weekdays.
    let count = 0;
    for (let time = Date.UTC(2026, 0, 1); time < Date.UTC(2027, 0, 1); time += 86_400_000) {
      if (calendar.isWorkingDay(new Date(time).toISOString().slice(0, 10))) {
        count += 1;
      }
    }
    expect(count).toBe(240);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-1-05', '20261105', '2026-11-24T00:00:00Z', ''])('rejects the malformed date %p', (date) => {
    expect(() => calendar.dayOffReason(date)).toThrow(RangeError);
    expect(() => calendar.isWorkingDay(date)).toThrow(RangeError);
    expect(() => new WorkingCalendar([date])).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it('gives the calendar date in each zone', () => {
    expect(localDate(new Date('2026-11-24T16:30:00Z'), 'Asia/Jakarta')).toBe('2026-11-24');
    expect(localDate(new Date('2026-11-24T16:30:00Z'), 'Asia/Makassar')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T16:30:00Z'), 'Asia/Jayapura')).toBe('2026-11-25');
  });

  it('turns the date exactly at local midnight', () => {
    expect(localDate(new Date('2026-11-24T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2026-11-24');
    expect(localDate(new Date('2026-11-24T17:00:00.000Z'), 'Asia/Jakarta')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T14:59:59.999Z'), 'Asia/Jayapura')).toBe('2026-11-24');
    expect(localDate(new Date('2026-11-24T15:00:00.000Z'), 'Asia/Jayapura')).toBe('2026-11-25');
  });

  it('turns the year at local midnight on New Year', () => {
    expect(localDate(new Date('2026-12-31T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T17:00:00.000Z'), 'Asia/Jakarta')).toBe('2027-01-01');
  });

  it('rejects an invalid Date', () => {
    expect(() => localDate(new Date(Number.NaN), 'Asia/Jakarta')).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  const calendar = new WorkingCalendar(['2026-12-24']);

  it('counts the working days after the start date up to the end date, as deadlines do', () => {
    // Thursday 2026-11-19 to Tuesday 2026-11-24 (WIB): Fri 20, Mon 23, Tue 24.
    expect(calendar.workingDaysBetween(new Date('2026-11-19T03:00:00Z'), new Date('2026-11-24T03:00:00Z'), 'Asia/Jakarta')).toBe(3);
    expect(calendar.workingDaysBetween(new Date('2026-11-24T01:00:00Z'), new Date('2026-11-24T09:00:00Z'), 'Asia/Jakarta')).toBe(0);
    // Wednesday 2026-12-23 to Wednesday 2026-12-30: cuti bersama 24, Christmas 25, weekend, then 28, 29, 30.
    expect(calendar.workingDaysBetween(new Date('2026-12-23T03:00:00Z'), new Date('2026-12-30T03:00:00Z'), 'Asia/Jakarta')).toBe(3);
  });

  it('agrees with endOfNthWorkingDayAfter', () => {
    const from = new Date('2026-03-17T02:00:00Z');
    const due = calendar.endOfNthWorkingDayAfter(from, 5, 'Asia/Makassar');
    expect(calendar.workingDaysBetween(from, due, 'Asia/Makassar')).toBe(5);
  });
});
