import { startDatabaseSubgraph, type ServiceHandle, type ServiceOptions } from '@lapor-hub/lib';
import { createContext } from './context';
import { EscalationSchema } from './entities/escalation';
import { escalationSubgraph } from './index';
import { migrations } from './migrations';

export type EscalationServiceOptions = ServiceOptions;

/** Opens the escalation database (migrate) and serves the subgraph. */
export function startEscalationService(options: EscalationServiceOptions): Promise<ServiceHandle> {
  return startDatabaseSubgraph({
    ...options,
    definition: escalationSubgraph,
    database: { schema: 'escalation', entities: [EscalationSchema], migrations },
    createContext,
  });
}
