import { logger } from '@lapor-hub/lib';
import { loadHubConfig } from '../hub/config';
import { startHub } from '../hub/start-hub';

// `npm start`: the whole hub in one process (configuration: hub/config.ts).
async function main(): Promise<void> {
  const hub = await startHub(loadHubConfig(process.env));
  console.log(`LAPOR! Hub ready: ${hub.url.replace('0.0.0.0', 'localhost')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the hub');
    await hub.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'the hub failed to start');
  process.exit(1);
});
