import type { Connection } from '@lapor-hub/lib';
import type { Escalation } from '../entities/escalation';

/** A page of escalations as the resolvers build it (`toConnection`); its total is counted only when asked for. */
export type EscalationPage = Connection<Escalation>;

/** An entity another subgraph owns (a complaint, an agency): here only its key. */
export interface EntityReference {
  id: string;
}
