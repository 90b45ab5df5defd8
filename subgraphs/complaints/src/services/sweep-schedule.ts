import PgBoss from 'pg-boss';
import type { EntityManager } from '@mikro-orm/postgresql';
import { logger } from '@lapor-hub/lib';
import { closeSilentComplaints } from './sweep';

export const SWEEP_QUEUE = 'complaints-close-silent';
export const SWEEP_JOB_SCHEMA = 'complaints_jobs';

/** How the sweep that closes silent complaints is scheduled. */
export type SweepSchedule =
  /** pg-boss on the complaints database: every minute, one run across all replicas. */
  | { mode: 'pg-boss'; databaseUrl: string; cron?: string; pollingIntervalSeconds?: number }
  /** A timer in this process: the embedded database, which one process owns. */
  | { mode: 'timer'; everyMs?: number }
  | { mode: 'off' };

async function runSweep(em: () => EntityManager): Promise<void> {
  const closed = await closeSilentComplaints(em());
  if (closed > 0) logger.info({ closed }, 'closed complaints without a reply');
}

/** Starts the sweep; resolves to its stopper. */
export async function scheduleSweep(schedule: SweepSchedule, em: () => EntityManager): Promise<() => Promise<void>> {
  switch (schedule.mode) {
    case 'off':
      return async () => undefined;
    case 'timer': {
      const timer = setInterval(() => {
        runSweep(em).catch((error) => logger.error({ err: error }, 'sweep failed'));
      }, schedule.everyMs ?? 60_000);
      return async () => clearInterval(timer);
    }
    case 'pg-boss': {
      const boss = new PgBoss({ connectionString: schedule.databaseUrl, schema: SWEEP_JOB_SCHEMA, max: 2 });
      boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
      await boss.start();
      // 'singleton': a run never overlaps another, whichever replica picks it up.
      if (!(await boss.getQueue(SWEEP_QUEUE))) {
        // Replicas starting together may race to create it; the loser finds it created.
        await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'singleton' }).catch(async (error) => {
          if (!(await boss.getQueue(SWEEP_QUEUE))) throw error;
        });
      }
      await boss.schedule(SWEEP_QUEUE, schedule.cron ?? '* * * * *');
      await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: schedule.pollingIntervalSeconds ?? 2 }, () => runSweep(em));
      return () => boss.stop({ graceful: true, wait: true });
    }
  }
}
