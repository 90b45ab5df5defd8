import { EntitySchema } from '@mikro-orm/core';

/** A cuti bersama day: not a working day, though not a national holiday. */
export class CollectiveLeaveDay {
  /** `YYYY-MM-DD`. */
  date!: string;
  description!: string;
  createdAt: Date = new Date();
}

export const CollectiveLeaveDaySchema = new EntitySchema<CollectiveLeaveDay>({
  class: CollectiveLeaveDay,
  schema: 'complaints',
  tableName: 'collective_leave_day',
  properties: {
    date: { type: 'date', primary: true },
    description: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});
