import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeDirectory } from '@lapor-hub/lib';
import { writeHubEvents } from '@lapor-hub/lib/database';
import type { ComplaintsClient } from '../complaints-client';
import { newEscalation, type NewEscalation } from '../domain/escalation';
import { escalationOverdue, escalationReceived } from '../domain/hub-events';
import { slaBreachTarget } from '../domain/routing';
import { EscalationRepository } from '../escalation-repository';

/**
 * Escalates every complaint whose follow-up deadline passed without a follow-up to the node above
 * its holder (reason SLA_BREACH). A breach is identified by the complaint and the missed deadline,
 * and a unique index makes the insert a no-op the second time: running the sweep again, or on
 * several replicas at once, escalates each breach exactly once. Resolves to how many it created.
 * A background job, not a request: it runs on the service's EntityManager, as the hub.
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
    const rows = page.flatMap((breach, index): NewEscalation[] => {
      const target = targetIds[index] ? targetById.get(targetIds[index]!) : undefined;
      if (!target) return [];
      return [
        newEscalation({
          // A supervisory complaint's breach is the Inspectorate's to read and answer, like the complaint.
          complaint: { id: breach.complaintId, supervisory: breach.supervisory },
          from: { id: breach.assignedAgencyId },
          to: target,
          reason: 'SLA_BREACH',
          note: `Follow-up deadline ${breach.followUpDueAt} passed without a follow-up`,
          actor: null,
          calendar,
          now,
          breachedDueAt: new Date(breach.followUpDueAt),
        }),
      ];
    });
    // The new escalations and what their target nodes are told of them commit together.
    created += await em.fork().transactional(async (tx) => {
      const inserted = await new EscalationRepository(tx).insertUnlessPresent(rows);
      await writeHubEvents(tx, 'escalation', inserted.map((escalation) => escalationReceived(escalation, null)));
      return inserted.length;
    });
  }
  return created;
}

const OVERDUE_BATCH = 500;

/**
 * Reports each open escalation whose answer deadline passed as ESCALATION_OVERDUE, once: the mark
 * on the escalation and the event commit together, a batch at a time. Needs no other service, so
 * it runs even while the complaints service does not answer. Resolves to how many it reported.
 */
export async function reportOverdueEscalations(em: EntityManager, now: Date = new Date()): Promise<number> {
  let reported = 0;
  for (;;) {
    const batch = await em.fork().transactional(async (tx) => {
      const overdue = await new EscalationRepository(tx).markOverdue(now, OVERDUE_BATCH);
      await writeHubEvents(tx, 'escalation', overdue.map((escalation) => escalationOverdue(escalation, now)));
      return overdue.length;
    });
    reported += batch;
    if (batch < OVERDUE_BATCH) return reported;
  }
}
