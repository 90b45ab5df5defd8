import Holidays from 'date-holidays';
import { TIME_ZONES, type TimeZone } from './time-zones';

type DayOffReason = 'WEEKEND' | 'NATIONAL_HOLIDAY' | 'COLLECTIVE_LEAVE';

// Indonesia observes no daylight saving, so fixed offsets are exact and no time-zone database is needed.
const UTC_OFFSET_HOURS: Record<TimeZone, number> = {
  'Asia/Jakarta': 7,
  'Asia/Makassar': 8,
  'Asia/Jayapura': 9,
};

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

const indonesianHolidays = new Holidays('ID');
const nationalHolidaysByYear = new Map<number, Set<string>>();

function nationalHolidays(year: number): Set<string> {
  let dates = nationalHolidaysByYear.get(year);
  if (!dates) {
    dates = new Set(
      indonesianHolidays
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        // `date` is the local calendar date in Indonesia. `start` must not be used: Islamic
        // holidays begin at sunset of the evening before, so `start` falls on the previous day.
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    nationalHolidaysByYear.set(year, dates);
  }
  return dates;
}

// Days are handled as whole days since the epoch so the host's own time zone never matters.
function toEpochDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const epochDay = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
    // Date.UTC silently rolls 2026-02-30 over to March; a date that does not round-trip is not a date.
    if (fromEpochDay(epochDay) === date) {
      return epochDay;
    }
  }
  throw new RangeError(`Expected a calendar date 'YYYY-MM-DD', got '${date}'`);
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

function offsetMs(zone: TimeZone): number {
  // Zones often arrive from configuration or the database, where the type system cannot vouch for them.
  if (!Object.hasOwn(UTC_OFFSET_HOURS, zone)) {
    throw new RangeError(`Unknown Indonesian time zone '${zone}'; expected one of ${TIME_ZONES.join(', ')}`);
  }
  return UTC_OFFSET_HOURS[zone] * MS_PER_HOUR;
}

function localEpochDay(instant: Date, zone: TimeZone): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) {
    throw new RangeError('Expected a valid Date, got an invalid one');
  }
  return Math.floor((time + offsetMs(zone)) / MS_PER_DAY);
}

/** Local calendar date 'YYYY-MM-DD' of an instant in a zone. */
export function localDate(instant: Date, zone: TimeZone): string {
  return fromEpochDay(localEpochDay(instant, zone));
}

/**
 * Working days under the LAPOR! regulation: Monday to Friday, except Indonesian national public
 * holidays and cuti bersama (collective leave) days. A deadline of N working days after an instant
 * counts from the day after the instant's local date in the node's zone and ends at 23:59:59.999
 * local time of the Nth working day.
 */
export class WorkingCalendar {
  private readonly collectiveLeaveDays: ReadonlySet<string>;

  /** collectiveLeaveDays: 'YYYY-MM-DD' strings of cuti bersama. */
  constructor(collectiveLeaveDays: Iterable<string>) {
    const days = new Set<string>();
    for (const day of collectiveLeaveDays) {
      // A malformed entry would never match any date, so a typo in the admin table would go unnoticed.
      toEpochDay(day);
      days.add(day);
    }
    this.collectiveLeaveDays = days;
  }

  isWorkingDay(date: string): boolean {
    return this.dayOffReason(date) === null;
  }

  /**
   * Why a date is not a working day: 'WEEKEND' | 'NATIONAL_HOLIDAY' | 'COLLECTIVE_LEAVE' | null.
   * When several apply, the first in that order is given.
   */
  dayOffReason(date: string): DayOffReason | null {
    return this.reasonForEpochDay(toEpochDay(date), date);
  }

  /** End (23:59:59.999 local) of the Nth working day after `from`, in `zone`. n >= 1. */
  endOfNthWorkingDayAfter(from: Date, n: number, zone: TimeZone): Date {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Expected a whole number of working days of at least 1, got ${n}`);
    }
    let epochDay = localEpochDay(from, zone);
    let remaining = n;
    while (remaining > 0) {
      epochDay += 1;
      if (this.reasonForEpochDay(epochDay, fromEpochDay(epochDay)) === null) {
        remaining -= 1;
      }
    }
    return new Date((epochDay + 1) * MS_PER_DAY - 1 - offsetMs(zone));
  }

  /**
   * Working days from `from` to `to` in `zone`, counted as deadlines count them: the days after
   * `from`'s date up to and including `to`'s date. A step done on the day it started took 0.
   */
  workingDaysBetween(from: Date, to: Date, zone: TimeZone): number {
    let count = 0;
    for (let epochDay = localEpochDay(from, zone) + 1; epochDay <= localEpochDay(to, zone); epochDay++) {
      if (this.reasonForEpochDay(epochDay, fromEpochDay(epochDay)) === null) count += 1;
    }
    return count;
  }

  private reasonForEpochDay(epochDay: number, date: string): DayOffReason | null {
    const weekday = new Date(epochDay * MS_PER_DAY).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      return 'WEEKEND';
    }
    if (nationalHolidays(Number(date.slice(0, 4))).has(date)) {
      return 'NATIONAL_HOLIDAY';
    }
    if (this.collectiveLeaveDays.has(date)) {
      return 'COLLECTIVE_LEAVE';
    }
    return null;
  }
}
