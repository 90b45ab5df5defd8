import { logger } from './logger';
import type { ServiceHandle } from './subgraph';

/** Reads a required setting of a service started on its own (one replica of one service). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

/** Runs one service until SIGINT/SIGTERM, then stops it cleanly. */
export function runService(name: string, start: () => Promise<ServiceHandle>): void {
  start()
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
