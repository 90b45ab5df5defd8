import { runService } from '@lapor-hub/lib';
import { loadRegistryConfig } from './config';
import { startRegistryService } from './server';

runService('registry', () => loadRegistryConfig(process.env), (config) => startRegistryService(config.service));
