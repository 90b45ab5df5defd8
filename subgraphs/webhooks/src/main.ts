import { runService } from '@lapor-hub/lib';
import { loadWebhooksConfig } from './config';
import { startWebhooksService } from './server';

runService('webhooks', () => loadWebhooksConfig(process.env), (config) => startWebhooksService(config.service));
