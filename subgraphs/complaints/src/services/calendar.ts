import { z } from 'zod';
import { isCalendarDate, lineText, parseInput } from '@lapor-hub/lib';
import type { CollectiveLeaveDayRow } from '../calendar-repository';
import type { ComplaintsContext } from '../context';
import { authorizeCalendarEdit } from '../domain/access';

/** The cuti bersama days of a year, in date order (public: deadlines depend on them). */
export function collectiveLeaveDays(context: ComplaintsContext, { year }: { year: number }): Promise<CollectiveLeaveDayRow[]> {
  return context.calendar.daysOf(year);
}

const dayInput = z.object({
  date: z
    .string()
    .refine((value) => isCalendarDate(value) && value >= '2000-01-01' && value < '2100-01-01', 'must be a date YYYY-MM-DD between 2000 and 2099'),
  description: lineText(200),
});

/**
 * Adds a cuti bersama day (the national admin's, when the SKB is published). Deadlines already
 * set are kept; new ones count the day off.
 */
export async function addCollectiveLeaveDay(context: ComplaintsContext, raw: unknown) {
  authorizeCalendarEdit(context.viewer);
  const input = parseInput(dayInput, raw);
  await context.calendar.save(input);
  return { day: input };
}

export async function removeCollectiveLeaveDay(context: ComplaintsContext, raw: unknown) {
  authorizeCalendarEdit(context.viewer);
  const { date } = parseInput(dayInput.pick({ date: true }), raw);
  return { date, removed: await context.calendar.remove(date) };
}
