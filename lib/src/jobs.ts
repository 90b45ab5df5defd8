import PgBoss from 'pg-boss';
import { logger } from './logger';

/** How a recurring job of a service runs. */
export type JobSchedule =
  /** pg-boss on the service's database: one run per tick across all replicas, never overlapping. */
  | { mode: 'pg-boss'; databaseUrl: string; cron?: string; pollingIntervalSeconds?: number }
  /** A timer in this process: for the embedded database, which one process owns. */
  | { mode: 'timer'; everyMs?: number }
  /** Not scheduled (tests run the job by hand). */
  | { mode: 'off' };

/**
 * Runs `run` on a schedule (every minute by default); resolves to the stopper. With pg-boss the
 * queue lives in `jobSchema` of the service's database.
 */
export async function scheduleJob(
  schedule: JobSchedule,
  job: { queue: string; jobSchema: string; run: () => Promise<void> },
): Promise<() => Promise<void>> {
  const run = () => job.run().catch((error) => logger.error({ err: error, queue: job.queue }, 'job failed'));
  switch (schedule.mode) {
    case 'off':
      return async () => undefined;
    case 'timer': {
      const timer = setInterval(run, schedule.everyMs ?? 60_000);
      return async () => clearInterval(timer);
    }
    case 'pg-boss': {
      const boss = new PgBoss({ connectionString: schedule.databaseUrl, schema: job.jobSchema, max: 2 });
      boss.on('error', (error) => logger.error({ err: error, queue: job.queue }, 'pg-boss error'));
      await boss.start();
      if (!(await boss.getQueue(job.queue))) {
        // Replicas starting together may race to create it; the loser finds it created.
        await boss.createQueue(job.queue, { name: job.queue, policy: 'singleton' }).catch(async (error) => {
          if (!(await boss.getQueue(job.queue))) throw error;
        });
      }
      await boss.schedule(job.queue, schedule.cron ?? '* * * * *');
      await boss.work(job.queue, { pollingIntervalSeconds: schedule.pollingIntervalSeconds ?? 2 }, () => job.run());
      return () => boss.stop({ graceful: true, wait: true });
    }
  }
}
