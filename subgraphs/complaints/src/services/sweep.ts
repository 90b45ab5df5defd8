import type { EntityManager } from '@mikro-orm/postgresql';
import { writeHubEvents } from '@lapor-hub/lib/database';
import { ComplaintRepository } from '../complaint-repository';
import { overdueEvent, stepEvents } from '../domain/hub-events';

const BATCH = 500;

/**
 * Closes every FOLLOWED_UP complaint whose `closesAt` has passed (the reporter stayed silent), a
 * batch at a time, each batch with its hub events in one transaction, and returns how many it
 * closed. A background job, not a request: it runs on the EntityManager it is given, with no viewer.
 */
export async function closeSilentComplaints(em: EntityManager, now: Date = new Date()): Promise<number> {
  let closed = 0;
  for (;;) {
    const batch = await em.fork().transactional(async (tx) => {
      const complaints = await new ComplaintRepository(tx).closeSilent(now, BATCH);
      await writeHubEvents(tx, 'complaints', complaints.flatMap((complaint) => stepEvents('AUTO_CLOSE', complaint, now, null)));
      return complaints.length;
    });
    closed += batch;
    if (batch < BATCH) return closed;
  }
}

/**
 * Forgets the sealed reporter tokens whose idempotency window has passed: a retry then finds
 * nothing to recover the token from (the replay also checks the window, so this only tidies the
 * rows). Returns how many it cleared.
 */
export function forgetExpiredReplayTokens(em: EntityManager, now: Date = new Date()): Promise<number> {
  return new ComplaintRepository(em).forgetReplayTokens(now);
}

// How far back the sweep looks for deadlines that passed: far more than the minute between its
// runs, so that a sweep that could not run for a while still reports what passed meanwhile.
const OVERDUE_LOOKBACK_MS = 86_400_000;

/**
 * Reports each deadline that passed (verification, follow-up) as COMPLAINT_OVERDUE, once: the
 * event's id is derived from the complaint and the deadline, so later runs write nothing new.
 * Resolves to how many complaints it looked at.
 */
export async function reportPassedDeadlines(em: EntityManager, now: Date = new Date()): Promise<number> {
  const since = new Date(now.getTime() - OVERDUE_LOOKBACK_MS);
  let seen = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await new ComplaintRepository(em.fork()).deadlinePassed(since, now, BATCH, after);
    await writeHubEvents(em.fork(), 'complaints', batch.flatMap((complaint) => overdueEvent(complaint, now) ?? []));
    seen += batch.length;
    if (batch.length < BATCH) return seen;
    after = batch.at(-1)!.id;
  }
}
