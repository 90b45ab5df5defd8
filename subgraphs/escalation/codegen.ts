import type { ResolverTypesConfig } from '../../schema/codegen';

/** How `npm run codegen` types this subgraph's resolvers: its context, and the model behind each type. */
export const resolverTypes: ResolverTypesConfig = {
  contextType: '../context#EscalationContext',
  mappers: {
    Escalation: '../entities/escalation#Escalation as EscalationModel',
    EscalationConnection: '../resolvers/models#EscalationPage',
    ComplaintStats: '../stats-repository#StatsKey',
    Complaint: '../resolvers/models#EntityReference',
    Agency: '../resolvers/models#EntityReference',
  },
};
