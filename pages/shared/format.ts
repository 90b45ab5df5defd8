import { currentLanguage, t } from './i18n';
import { gql } from './api';

const ZONE_NAMES: Record<string, { abbreviation: string; offsetHours: number }> = {
  'Asia/Jakarta': { abbreviation: 'WIB', offsetHours: 7 },
  'Asia/Makassar': { abbreviation: 'WITA', offsetHours: 8 },
  'Asia/Jayapura': { abbreviation: 'WIT', offsetHours: 9 },
};

const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'id-ID');

/** `1 Des 2026 23.59 WITA`: a moment in the node's time zone, the way Indonesians write it. */
export function formatDateTime(iso: string | null | undefined, zone = 'Asia/Jakarta'): string {
  if (!iso) return '—';
  const text = new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
  return `${text} ${ZONE_NAMES[zone]?.abbreviation ?? zone}`;
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(locale()).format(value);
}

/** `850 KB`, `2,4 MB`: a file's size as people read it (1 KB = 1,024 bytes, as phones show it). */
export function formatBytes(bytes: number): string {
  const unit = bytes < 1024 * 1024 ? { name: 'KB', size: 1024 } : { name: 'MB', size: 1024 * 1024 };
  const amount = new Intl.NumberFormat(locale(), { maximumFractionDigits: unit.name === 'MB' ? 1 : 0 }).format(Math.max(1, bytes / unit.size));
  return `${amount} ${unit.name}`;
}

/** `73,8%` in Indonesian. */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

const MS_PER_DAY = 86_400_000;

function localEpochDay(instant: Date, zone: string): number {
  return Math.floor((instant.getTime() + (ZONE_NAMES[zone]?.offsetHours ?? 7) * 3_600_000) / MS_PER_DAY);
}

/** Days off of the years asked for: the national holidays (from the gateway) and the cuti bersama (from the API). */
const daysOffByYear = new Map<number, Promise<Set<string>>>();

export function daysOff(year: number): Promise<Set<string>> {
  let days = daysOffByYear.get(year);
  if (!days) {
    days = Promise.all([
      fetch(`/pages/holidays/${year}.json`, { credentials: 'omit' }).then((response) => response.json() as Promise<{ holidays: string[] }>),
      gql<{ collectiveLeaveDays: { date: string }[] }>('query($year: Int!) { collectiveLeaveDays(year: $year) { date } }', { year }),
    ]).then(([national, leave]) => new Set([...national.holidays, ...leave.collectiveLeaveDays.map((day) => day.date)]));
    daysOffByYear.set(year, days);
  }
  return days;
}

function isWorkingDay(epochDay: number, off: Set<string>): boolean {
  const date = new Date(epochDay * MS_PER_DAY);
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !off.has(date.toISOString().slice(0, 10));
}

/**
 * Working days from now to a deadline, counted as the hub counts them (the days after today's
 * local date up to the deadline's): 0 when it ends today, negative once it passed.
 */
export function workingDaysLeft(deadline: Date, now: Date, zone: string, off: Set<string>): number {
  const today = localEpochDay(now, zone);
  const last = localEpochDay(deadline, zone);
  if (deadline.getTime() < now.getTime()) {
    let late = 0;
    for (let day = last + 1; day <= today; day++) if (isWorkingDay(day, off)) late++;
    return -Math.max(late, 1);
  }
  let left = 0;
  for (let day = today + 1; day <= last; day++) if (isWorkingDay(day, off)) left++;
  return left;
}

/** `3 hari kerja lagi`, `berakhir hari ini`, `terlambat 2 hari kerja`. */
export async function countdown(iso: string, zone: string, now = new Date()): Promise<string> {
  const deadline = new Date(iso);
  const years = new Set([now.getUTCFullYear(), deadline.getUTCFullYear()]);
  const off = new Set<string>();
  for (const year of years) for (const day of await daysOff(year)) off.add(day);
  const left = workingDaysLeft(deadline, now, zone, off);
  if (left < 0) return t('deadline.late', { days: formatNumber(-left) });
  if (left === 0) return t('deadline.today');
  return t('deadline.left', { days: formatNumber(left) });
}
