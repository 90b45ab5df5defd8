import { runService } from '@lapor-hub/lib';
import { loadComplaintsConfig } from './config';
import { startComplaintsService } from './server';

runService('complaints', () => loadComplaintsConfig(process.env), (config) => startComplaintsService(config.service));
