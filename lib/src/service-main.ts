import cluster from 'node:cluster';
import os from 'node:os';
import { z } from 'zod';
import { logger } from './logger';

/**
 * `WORKERS`, a configuration variable of every service started on its own: processes of one service
 * sharing its port (Node cluster); default 1, `auto` = one per core.
 */
export const envWorkers = (cores = os.availableParallelism()) =>
  z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d*)$/, 'must be a positive integer or "auto"')
    .transform((raw) => (raw === 'auto' ? cores : Number(raw)))
    .default(1);

/** A running service: where it answers and how to stop it. */
export interface ServiceHandle {
  url: string;
  stop(): Promise<void>;
}

// A worker that dies sooner than this after its start is failing to start, not crashing under
// load: the primary gives up instead of restarting it in a loop.
const MIN_WORKER_LIFETIME_MS = 5_000;

/**
 * Runs one service until SIGINT/SIGTERM, then stops it cleanly. `loadConfig` reads the service's
 * configuration once (a refused one stops the process with its reasons); with more than one
 * worker, the process is a cluster primary that forks that many workers (each loads its own and
 * runs `start`, all share the port), restarts a worker that dies, and stops them all on a signal.
 */
export function runService<Config extends { workers: number }>(
  name: string,
  loadConfig: () => Config,
  start: (config: Config) => Promise<ServiceHandle>,
): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    logger.fatal({ err: error, service: name }, 'failed to start');
    process.exit(1);
  }
  if (config.workers > 1 && cluster.isPrimary) {
    runPrimary(name, config.workers);
    return;
  }
  start(config)
    .then((service) => {
      const stop = () => {
        service.stop().then(
          () => process.exit(0),
          (error) => {
            logger.error({ err: error, service: name }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error) => {
      logger.fatal({ err: error, service: name }, 'failed to start');
      process.exit(1);
    });
}

function runPrimary(name: string, workers: number): void {
  let stopping = false;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (startedAt.size === 0) process.exit();
      return;
    }
    if (lived < MIN_WORKER_LIFETIME_MS) {
      logger.fatal({ service: name, code, signal }, 'a worker failed to start; stopping the service');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (startedAt.size === 0) process.exit();
      return;
    }
    logger.error({ service: name, code, signal }, 'a worker died; starting another');
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ service: name, workers }, 'starting workers');
  for (let i = 0; i < workers; i++) fork();
}
