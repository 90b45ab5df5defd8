import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { isCalendarDate, NO_CONTROL_CHARACTERS, parseInput, WorkingCalendar, type Viewer } from '@lapor-hub/lib';
import { authorizeCalendarEdit } from '../domain/access';
import { CollectiveLeaveDay } from '../entities/collective-leave-day';

/** The working-day calendar as of now: national holidays plus the cuti bersama table. */
export async function loadCalendar(em: EntityManager): Promise<WorkingCalendar> {
  const rows = await em.execute<{ date: string }[]>(
    `select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`,
  );
  return new WorkingCalendar(rows.map((row) => row.date));
}

export async function collectiveLeaveDays(em: EntityManager, year: number): Promise<{ date: string; description: string }[]> {
  return em.execute<{ date: string; description: string }[]>(
    `select to_char("date", 'YYYY-MM-DD') as date, description from complaints.collective_leave_day
     where "date" >= make_date(?, 1, 1) and "date" < make_date(? + 1, 1, 1) order by "date"`,
    [year, year],
  );
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
  await em.execute(
    `insert into complaints.collective_leave_day ("date", description) values (?::date, ?)
     on conflict ("date") do update set description = excluded.description`,
    [input.date, input.description],
  );
  return { day: input };
}

export async function removeCollectiveLeaveDay(em: EntityManager, viewer: Viewer, raw: unknown) {
  authorizeCalendarEdit(viewer);
  const { date } = parseInput(dayInput.pick({ date: true }), raw);
  const removed = await em.nativeDelete(CollectiveLeaveDay, { date });
  return { date, removed: removed > 0 };
}
