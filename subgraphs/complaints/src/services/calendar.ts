import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { isCalendarDate, NO_CONTROL_CHARACTERS, parseInput, type Viewer } from '@lapor-hub/lib';
import { CalendarRepository } from '../calendar-repository';
import { authorizeCalendarEdit } from '../domain/access';

export async function collectiveLeaveDays(em: EntityManager, year: number): Promise<{ date: string; description: string }[]> {
  return new CalendarRepository(em).daysOf(year);
}

const dayInput = z.object({
  date: z
    .string()
    .refine((value) => isCalendarDate(value) && value >= '2000-01-01' && value < '2100-01-01', 'must be a date YYYY-MM-DD between 2000 and 2099'),
  description: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').regex(NO_CONTROL_CHARACTERS, 'must not contain control characters'),
});

/**
 * Adds a cuti bersama day (the national admin's, when the SKB is published). Deadlines already
 * set are kept; new ones count the day off.
 */
export async function addCollectiveLeaveDay(em: EntityManager, viewer: Viewer, raw: unknown) {
  authorizeCalendarEdit(viewer);
  const input = parseInput(dayInput, raw);
  await new CalendarRepository(em).save(input);
  return { day: input };
}

export async function removeCollectiveLeaveDay(em: EntityManager, viewer: Viewer, raw: unknown) {
  authorizeCalendarEdit(viewer);
  const { date } = parseInput(dayInput.pick({ date: true }), raw);
  return { date, removed: await new CalendarRepository(em).remove(date) };
}
