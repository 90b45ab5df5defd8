import type { EntityManager } from '@mikro-orm/postgresql';
import { logger } from '@lapor-hub/lib';
import { scheduleJob, type JobSchedule } from '@lapor-hub/lib/database';
import { closeSilentComplaints, forgetExpiredReplayTokens, reportPassedDeadlines } from './sweep';

export const SWEEP_QUEUE = 'complaints-close-silent';
export const SWEEP_JOB_SCHEMA = 'complaints_jobs';

/**
 * Schedules the sweep that closes complaints the reporter left without a reply, reports passed
 * deadlines, and forgets the reporter tokens kept for retries once their idempotency window has
 * passed; `afterRun` runs after each run (reporters' messages and hub events may be waiting).
 */
export function scheduleSweep(schedule: JobSchedule, em: () => EntityManager, afterRun: () => void = () => undefined): Promise<() => Promise<void>> {
  return scheduleJob(schedule, {
    queue: SWEEP_QUEUE,
    jobSchema: SWEEP_JOB_SCHEMA,
    run: async () => {
      const closed = await closeSilentComplaints(em());
      const forgotten = await forgetExpiredReplayTokens(em());
      if (forgotten > 0) logger.info({ forgotten }, 'forgot reporter tokens kept for retries');
      if (closed > 0) logger.info({ closed }, 'closed complaints without a reply');
      await reportPassedDeadlines(em());
      afterRun();
    },
  });
}
