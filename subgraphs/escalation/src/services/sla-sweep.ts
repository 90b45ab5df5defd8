import type { EntityManager } from '@mikro-orm/postgresql';
import { homeNodeId, scopePath, type NodeDirectory } from '@lapor-hub/lib';
import type { ComplaintsClient } from '../complaints-client';
import { slaBreachTarget } from '../domain/rules';
import { EscalationRepository, type SlaBreachRow } from '../escalation-repository';
import { RESPONSE_WORKING_DAYS } from './escalate';

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
  const escalations = new EscalationRepository(em);
  const calendar = await complaints.workingCalendar(now);
  let created = 0;
  for await (const page of complaints.breached(now)) {
    if (page.length === 0) continue;
    const holders = await directory.nodes(page.map((breach) => breach.assignedAgencyId));
    const targetIds = holders.map((holder) => (holder ? slaBreachTarget(holder) : null));
    const targets = await directory.nodes(targetIds.filter((id): id is string => id !== null));
    const targetById = new Map(targets.filter((node) => node !== null).map((node) => [node!.id, node!]));
    const rows = page.flatMap((breach, index): SlaBreachRow[] => {
      const target = targetIds[index] ? targetById.get(targetIds[index]!) : undefined;
      if (!target) return [];
      return [
        {
          complaintId: breach.complaintId,
          fromAgencyId: breach.assignedAgencyId,
          toAgencyId: target.id,
          // A supervisory complaint's breach is the Inspectorate's to read and answer, like the complaint.
          supervisory: breach.supervisory,
          note: `Follow-up deadline ${breach.followUpDueAt} passed without a follow-up`,
          createdAt: now,
          respondDueAt: calendar.endOfNthWorkingDayAfter(now, RESPONSE_WORKING_DAYS, target.timeZone),
          breachedDueAt: breach.followUpDueAt,
          toHomeId: homeNodeId(target),
          toPath: scopePath(target),
        },
      ];
    });
    created += await escalations.insertSlaBreaches(rows);
  }
  return created;
}
