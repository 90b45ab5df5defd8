import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar } from '@lapor-hub/lib';
import { canReadEscalations } from '../access';
import type { EscalationContext } from '../context';
import type { Escalation } from '../entities/escalation';

export const resolvers: GraphQLResolverMap<EscalationContext> = {
  DateTime: DateTimeScalar,
  Query: {
    escalation: (_: unknown, { id }: { id: string }, { viewer, loaders }: EscalationContext) =>
      canReadEscalations(viewer) ? loaders.escalationById.load(id) : null,
  },
  Escalation: {
    __resolveReference: (reference: { id: string }, { viewer, loaders }: EscalationContext) =>
      canReadEscalations(viewer) ? loaders.escalationById.load(reference.id) : null,
    complaint: (escalation: Escalation) => ({ __typename: 'Complaint', id: escalation.complaintId }),
    fromAgency: (escalation: Escalation) => ({ __typename: 'Agency', id: escalation.fromAgencyId }),
    toAgency: (escalation: Escalation) => ({ __typename: 'Agency', id: escalation.toAgencyId }),
  },
  Complaint: {
    // The complaints subgraph owns complaints; here a complaint is only its id.
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    escalations: (complaint: { id: string }, _: unknown, { viewer, loaders }: EscalationContext) =>
      canReadEscalations(viewer) ? loaders.escalationsByComplaint.load({ ownerId: complaint.id }) : [],
  },
};
