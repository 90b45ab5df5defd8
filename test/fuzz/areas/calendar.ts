/** The working calendar: `addCollectiveLeaveDay` and `removeCollectiveLeaveDay`. */
import * as fc from 'fast-check';
import { authPlan, field, hostileString, inputOf, validText, wrongType } from '../arbitraries';
import { expectThat } from '../oracle';
import { fuzz, lifecycleCall } from '../property';
import { type FuzzWorld, NATIONAL_ID, REGENCY } from '../world';

/** The national calendar: adding and removing collective leave days. */
export function collectiveLeaveDays(world: FuzzWorld): void {
  it('addCollectiveLeaveDay and removeCollectiveLeaveDay', async () => {
    const validDate = fc.oneof(
      fc.constantFrom('2040-01-02', '2040-01-03', '2041-12-24', '2024-02-29', '9999-12-31', '1999-12-31'),
      fc.date({ min: new Date('2035-01-01T00:00:00Z'), max: new Date('2045-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    );
    const badDate = fc.constantFrom(
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-1-1',
      '20260101',
      '2026-01-01T00:00:00Z',
      '+012026-01-01',
      ' 2026-01-01',
      '2026-01-01\u0000',
      '２０２６-０１-０１',
      '10000-01-01',
      'today',
    );
    const date = fc.oneof({ weight: 6, arbitrary: validDate }, { weight: 3, arbitrary: badDate }, { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) }, { weight: 1, arbitrary: fc.constant(undefined) });
    const valid = fc.record({ date: validDate, description: validText(200) });
    const fuzzed = fc.record({ date, description: field(validText(200)) });
    const plan = fc.record({
      remove: fc.boolean(),
      input: inputOf(valid, fuzzed),
      auth: authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', REGENCY], ['DASHBOARD', NATIONAL_ID]]),
    });
    await fuzz(world, plan, 250, async (value) => {
      if (!value.remove) {
        await lifecycleCall(world, 'addCollectiveLeaveDay', 'AddCollectiveLeaveDayInput', 'day { date description }', value, (data, _context, input) => {
          expectThat(data.day.date === input.date, `date ${data.day.date}`);
          expectThat(data.day.description === input.description.trim(), 'the description as sent, trimmed');
          world.book.leaveDays.add(input.date);
        });
      } else {
        const input = value.input && typeof value.input === 'object' && !Array.isArray(value.input) ? { ...(value.input as object), description: undefined } : value.input;
        await lifecycleCall(world, 'removeCollectiveLeaveDay', 'RemoveCollectiveLeaveDayInput', 'date removed', { ...value, input }, (data, _context, sent) => {
          expectThat(data.date === sent.date, `date ${data.date}`);
          expectThat(data.removed === world.book.leaveDays.has(sent.date), `removed: ${data.removed} for ${sent.date}`);
          world.book.leaveDays.delete(sent.date);
        });
      }
    });
  });
}
