import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql } from '@lapor-hub/lib';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';

/** A cuti bersama day as the calendar lists it: `YYYY-MM-DD` and what it is for. */
export interface CollectiveLeaveDayRow {
  date: string;
  description: string;
}

/** The working-day calendar's table of cuti bersama days; each method is one SQL statement. */
export class CalendarRepository {
  constructor(private readonly em: EntityManager) {}

  /** The working-day calendar as of now: national holidays plus the cuti bersama table. */
  async load(): Promise<WorkingCalendar> {
    const rows = await execute<{ date: string }>(this.em, sql`select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`);
    return new WorkingCalendar(rows.map((row) => row.date));
  }

  daysOf(year: number): Promise<CollectiveLeaveDayRow[]> {
    return execute<CollectiveLeaveDayRow>(
      this.em,
      sql`select to_char("date", 'YYYY-MM-DD') as date, description from complaints.collective_leave_day
       where "date" >= make_date(${year}, 1, 1) and "date" < make_date(${year} + 1, 1, 1) order by "date"`,
    );
  }

  /** Adds the day, or gives a day already there the new description. */
  async save(day: CollectiveLeaveDayRow): Promise<void> {
    await execute(
      this.em,
      sql`insert into complaints.collective_leave_day ("date", description) values (${day.date}::date, ${day.description})
       on conflict ("date") do update set description = excluded.description`,
    );
  }

  /** Whether there was such a day to remove. */
  async remove(date: string): Promise<boolean> {
    const removed = await execute(this.em, sql`delete from complaints.collective_leave_day where "date" = ${date}::date returning "date"`);
    return removed.length > 0;
  }
}
