import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { homeNodeId, scopePath, type NodeDirectory } from '@lapor-hub/lib';
import type { ComplaintsClient } from '../complaints-client';
import { slaBreachTarget } from '../domain/rules';
import { RESPONSE_WORKING_DAYS } from './escalate';

/** A text[] literal: an array bound as one value (the query builder would spread a JS array). */
function postgresArray(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * Escalates every complaint whose follow-up deadline passed without a follow-up to the node above
 * its holder (reason SLA_BREACH). A breach is identified by the complaint and the missed deadline,
 * and a unique index makes the insert a no-op the second time: running the sweep again, or on
 * several replicas at once, escalates each breach exactly once. Resolves to how many it created.
 */
export async function escalateBreaches(
  em: EntityManager,
  complaints: ComplaintsClient,
  directory: NodeDirectory,
  now: Date = new Date(),
): Promise<number> {
  const calendar = await complaints.workingCalendar(now);
  let created = 0;
  for await (const page of complaints.breached(now)) {
    if (page.length === 0) continue;
    const holders = await directory.nodes(page.map((breach) => breach.assignedAgencyId));
    const targetIds = holders.map((holder) => (holder ? slaBreachTarget(holder) : null));
    const targets = await directory.nodes(targetIds.filter((id): id is string => id !== null));
    const targetById = new Map(targets.filter((node) => node !== null).map((node) => [node!.id, node!]));
    const rows = page.flatMap((breach, index) => {
      const target = targetIds[index] ? targetById.get(targetIds[index]!) : undefined;
      if (!target) return [];
      return [
        [
          randomUUID(),
          breach.complaintId,
          breach.assignedAgencyId,
          target.id,
          // A supervisory complaint's breach is the Inspectorate's to read and answer, like the complaint.
          breach.supervisory,
          `Follow-up deadline ${breach.followUpDueAt} passed without a follow-up`,
          now,
          calendar.endOfNthWorkingDayAfter(now, RESPONSE_WORKING_DAYS, target.timeZone),
          breach.followUpDueAt,
          homeNodeId(target),
          postgresArray(scopePath(target)),
        ],
      ];
    });
    if (rows.length === 0) continue;
    const inserted = await em.execute<{ id: string }[]>(
      `insert into escalation.escalation
         (id, complaint_id, from_agency_id, to_agency_id, supervisory, reason, status, note, created_at, respond_due_at, breached_due_at, to_home_id, to_path, version)
       values ${rows.map(() => `(?, ?, ?, ?, ?, 'SLA_BREACH', 'OPEN', ?, ?, ?, ?, ?, ?::text[], 1)`).join(', ')}
       on conflict do nothing
       returning id`,
      rows.flat(),
    );
    created += inserted.length;
  }
  return created;
}
