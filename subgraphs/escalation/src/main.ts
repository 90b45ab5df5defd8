import { runService } from '@lapor-hub/lib';
import { loadEscalationConfig } from './config';
import { startEscalationService } from './server';

runService('escalation', () => loadEscalationConfig(process.env), (config) => startEscalationService(config.service));
