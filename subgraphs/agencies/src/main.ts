import { runService } from '@lapor-hub/lib';
import { loadAgenciesConfig } from './config';
import { startAgenciesService } from './server';

runService('agencies', () => loadAgenciesConfig(process.env), (config) => startAgenciesService(config.service));
