import { DateTimeScalar, pageArgs, toConnection } from '@lapor-hub/lib';
import type { EscalationContext } from '../context';
import { authorizeEscalationList, canReadEscalation } from '../domain/access';
import type { Escalation, EscalationStatus } from '../entities/escalation';
import { escalationSortKey, type EscalationDirection } from '../escalation-repository';
import type { Resolvers } from '../generated/resolvers-types';
import { escalateComplaint } from '../services/escalate';
import { respondToEscalation } from '../services/respond';
import type { StatsKey } from '../stats-repository';

const statsKeyOf = ({ scope, from, to }: StatsKey): StatsKey => ({ scope, from, to });

/** An officer's figures of a scope not restricted to a region (`…;region:<code>`): an escalation keeps no place to restrict by. */
const countable = (key: StatsKey, context: EscalationContext) => context.viewer.kind === 'officer' && !key.scope.includes(';region:');

async function readable(escalation: Escalation, context: EscalationContext): Promise<boolean> {
  if (context.viewer.kind !== 'officer' && context.viewer.kind !== 'service') return false;
  const [from, to] = await Promise.all([
    context.loaders.nodeById.load(escalation.fromAgencyId),
    context.loaders.nodeById.load(escalation.toAgencyId),
  ]);
  return canReadEscalation(context.viewer, escalation, from, to);
}

function agencyEscalations(direction: EscalationDirection) {
  return async (
    agency: { id: string },
    args: { status?: EscalationStatus | null; first?: number | null; after?: string | null },
    context: EscalationContext,
  ) => {
    authorizeEscalationList(context.viewer, await context.loaders.nodeById.load(agency.id));
    const page = pageArgs(args);
    const filter = { direction, status: args.status ?? null, supervisory: context.supervisory };
    const { escalationPage, escalationCount } = context.loaders;
    const rows = await escalationPage.load({ ownerId: agency.id, filter, page });
    return toConnection(rows, page.first, escalationSortKey, () => escalationCount.load({ ownerId: agency.id, filter }));
  };
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    escalation: async (_, { id }, context) => {
      // Not readable answers as not there: a lookup must not tell what exists.
      const escalation = await context.loaders.escalationById.load(id);
      return escalation && (await readable(escalation, context)) ? escalation : null;
    },
  },
  Mutation: {
    escalateComplaint: (_, { input }, context) => escalateComplaint(context, input),
    respondToEscalation: (_, { input }, context) => respondToEscalation(context, input),
  },
  Escalation: {
    __resolveReference: async (reference, context) => {
      const escalation = await context.loaders.escalationById.load(reference.id);
      return escalation && (await readable(escalation, context)) ? escalation : null;
    },
    fromAgency: (escalation) => ({ id: escalation.fromAgencyId }),
    toAgency: (escalation) => ({ id: escalation.toAgencyId }),
    overdue: (escalation) => escalation.status === 'OPEN' && escalation.respondDueAt.getTime() < Date.now(),
  },
  ComplaintStats: {
    // The complaints subgraph authorized these figures before the gateway asked for this part.
    __resolveReference: (key) => key,
    overdueEscalationResponses: async (key, _, context) =>
      countable(key, context) ? (await context.loaders.statsByKey.load(statsKeyOf(key))).overdueResponses : null,
    escalationsReceived: async (key, _, context) => (countable(key, context) ? (await context.loaders.statsByKey.load(statsKeyOf(key))).received : null),
  },
  Complaint: {
    // The complaints subgraph owns complaints; here a complaint is only its id.
    __resolveReference: (reference) => ({ id: reference.id }),
    escalations: async (complaint, _, context) => {
      if (context.viewer.kind !== 'officer') return [];
      // Supervisory escalations are left out in SQL for viewers who may not see them.
      const escalations = await context.loaders.escalationsByComplaint.load(complaint.id);
      const visible = await Promise.all(escalations.map((escalation) => readable(escalation, context)));
      return escalations.filter((_escalation, index) => visible[index]);
    },
  },
  Agency: {
    __resolveReference: (reference) => ({ id: reference.id }),
    incomingEscalations: agencyEscalations('incoming'),
    outgoingEscalations: agencyEscalations('outgoing'),
  },
};
