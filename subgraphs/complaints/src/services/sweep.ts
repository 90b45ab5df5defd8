import type { EntityManager } from '@mikro-orm/postgresql';
import { ComplaintRepository } from '../complaint-repository';

const BATCH = 500;

/**
 * Closes every FOLLOWED_UP complaint whose `closesAt` has passed (the reporter stayed silent), a
 * batch at a time, and returns how many it closed. A background job, not a request: it runs on the
 * EntityManager it is given, with no viewer.
 */
export async function closeSilentComplaints(em: EntityManager, now: Date = new Date()): Promise<number> {
  const complaints = new ComplaintRepository(em);
  let closed = 0;
  for (;;) {
    const batch = await complaints.closeSilent(now, BATCH);
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
