/** The last check of the run: the databases against the book of accepted calls. */
import { REPORT_ALL } from '../oracle';
import type { FuzzWorld } from '../world';

/** At the end: the databases hold exactly what the accepted calls created. */
export function storedExactly(world: FuzzWorld): void {
  it('stored exactly what the accepted calls created, and nothing for the refused ones', async () => {
    // Let the outbox relay finish delivering accepted escalations (it changes complaints, never counts).
    const complaintIds = (await world.hub.sql<{ id: string }>('complaints', 'select id from complaints.complaint')).map((row) => row.id);
    const created = complaintIds.filter((id) => !world.book.baseline.complaintIds.has(id)).sort();
    expect(created).toEqual([...world.book.complaints.keys()].sort());

    const unitIds = (await world.hub.sql<{ id: string }>('agencies', `select id from agencies.agency where kind = 'UNIT'`)).map((row) => row.id);
    expect(unitIds.filter((id) => !world.book.baseline.unitIds.has(id)).sort()).toEqual([...world.book.createdUnitIds].sort());

    const escalations = await world.hub.sql<{ id: string }>('escalation', 'select id from escalation.escalation');
    expect(escalations.length - world.book.baseline.escalations).toBe(world.book.escalations.size + world.book.successorEscalations);
    const stored = new Set(escalations.map((row) => row.id));
    expect([...world.book.escalations.keys()].filter((id) => !stored.has(id))).toEqual([]);

    const days = await world.hub.sql<{ date: string }>('complaints', `select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`);
    expect(days.map((row) => row.date).sort()).toEqual([...world.book.leaveDays].sort());

    // Each complaint's status and version as the test last saw them (nothing changed behind a refusal).
    const rows = await world.hub.sql<{ id: string; status: string; version: number }>('complaints', 'select id, status, version from complaints.complaint');
    const accepted = new Set(
      (await world.hub.sql<{ complaint_id: string }>('escalation', `select complaint_id from escalation.escalation where status = 'ACCEPTED'`)).map((row) => row.complaint_id),
    );
    for (const row of rows) {
      const tracked = world.book.complaints.get(row.id);
      // An accepted escalation is applied by the relay, after the answer: those may have moved on.
      if (!tracked || accepted.has(row.id)) continue;
      expect({ id: row.id, status: row.status, version: row.version }).toEqual({ id: row.id, status: tracked.status, version: tracked.version });
    }

    const seconds = ((Date.now() - world.started) / 1000).toFixed(1);
    const lines = [...world.stats.byOperation.entries()].map(
      ([operation, { sent, ok, codes }]) => `  ${operation}: ${sent} sent, ${ok} accepted, errors ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    console.log(`fuzz: ${world.stats.requests} requests in ${seconds}s\n${lines.join('\n')}`);
    if (REPORT_ALL) console.log(`findings:\n${[...world.findings.values()].join('\n')}`);
  });
}
