import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar, ForbiddenError, pageArgs, toConnection } from '@lapor-hub/lib';
import { complaintSortKey, type AgencyRelation } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import { canReadComplaint, canReadReporter, listScope } from '../domain/access';
import { isOverdue } from '../domain/workflow';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import type { Complaint, ComplaintStatus } from '../entities/complaint';
import type { FollowUp } from '../entities/follow-up';
import type { TimelineEntry } from '../entities/timeline-entry';
import { breachedComplaints, type BreachedComplaintArgs } from '../services/breached-complaints';
import { agencyStats, nationalDashboard } from '../services/dashboard';
import { addCollectiveLeaveDay, collectiveLeaveDays, removeCollectiveLeaveDay } from '../services/calendar';
import { applyEscalationAcceptance } from '../services/escalation-acceptance';
import { forwardComplaint, postFollowUp, rejectComplaint, replyToComplaint, verifyComplaint } from '../services/lifecycle';
import { submitComplaint } from '../services/submit-complaint';

interface ListArgs {
  status?: ComplaintStatus | null;
  overdue?: boolean | null;
  first?: number | null;
  after?: string | null;
}

type Input = { input: unknown };

const agencyRef = (id: string | null | undefined) => (id ? { __typename: 'Agency', id } : null);

async function readable(complaint: Complaint | null, context: ComplaintsContext): Promise<boolean> {
  if (!complaint) return false;
  return canReadComplaint(context.viewer, complaint, await context.nodesOf(complaint), context.reporterOf.has(complaint.id));
}

/**
 * A complaint the caller may not read: an officer learns it is forbidden; the public learns
 * nothing (a confidential complaint does not exist for them).
 */
async function visibleOrRefused(complaint: Complaint | null, context: ComplaintsContext): Promise<Complaint | null> {
  if (!complaint || (await readable(complaint, context))) return complaint;
  if (context.viewer.kind === 'officer') throw new ForbiddenError('This complaint is not held by your node, its units or its children');
  return null;
}

function agencyComplaints(relation: AgencyRelation) {
  return async (agency: { id: string }, args: ListArgs, context: ComplaintsContext) => {
    const node = context.viewer.kind === 'officer' ? await context.loaders.nodeById.load(agency.id) : null;
    const scope = listScope(context.viewer, node, relation);
    const page = pageArgs(args);
    const filter = { relation, status: args.status ?? null, overdue: args.overdue ?? null, ...scope };
    const { complaintPage, complaintCount } = context.loaders;
    const rows = await complaintPage.load({ ownerId: agency.id, filter, page });
    return toConnection(rows, page.first, complaintSortKey, () => complaintCount.load({ ownerId: agency.id, filter }));
  };
}

export const resolvers: GraphQLResolverMap<ComplaintsContext> = {
  DateTime: DateTimeScalar,
  Query: {
    complaint: async (_: unknown, { id }: { id: string }, context: ComplaintsContext) =>
      visibleOrRefused(await context.loaders.complaintById.load(id), context),
    complaintByTrackingId: async (
      _: unknown,
      { trackingId, reporterToken }: { trackingId: string; reporterToken?: string | null },
      context: ComplaintsContext,
    ) => {
      const complaint = await context.complaints.findByTrackingId(trackingId.trim().toUpperCase());
      if (complaint && reporterToken && reporterTokenMatches(reporterToken, complaint.reporterTokenHash)) {
        context.reporterOf.add(complaint.id);
      }
      return visibleOrRefused(complaint, context);
    },
    collectiveLeaveDays: (_: unknown, { year }: { year: number }, context: ComplaintsContext) => collectiveLeaveDays(context, { year }),
    nationalDashboard: (_: unknown, args: { from: Date; to: Date }, context: ComplaintsContext) => nationalDashboard(context, args),
    // Hub services only (@inaccessible): the escalation service's sweep.
    breachedComplaints: (_: unknown, args: BreachedComplaintArgs, context: ComplaintsContext) => breachedComplaints(context, args),
  },
  Mutation: {
    submitComplaint: async (_: unknown, { input }: Input, context: ComplaintsContext) => {
      const result = await submitComplaint(context, input);
      // Whoever submitted holds the token, so the payload may show them everything they sent.
      context.reporterOf.add(result.complaint.id);
      return result;
    },
    verifyComplaint: (_: unknown, { input }: Input, context: ComplaintsContext) => verifyComplaint(context, input),
    rejectComplaint: (_: unknown, { input }: Input, context: ComplaintsContext) => rejectComplaint(context, input),
    forwardComplaint: (_: unknown, { input }: Input, context: ComplaintsContext) => forwardComplaint(context, input),
    postFollowUp: (_: unknown, { input }: Input, context: ComplaintsContext) => postFollowUp(context, input),
    replyToComplaint: (_: unknown, { input }: Input, context: ComplaintsContext) => replyToComplaint(context, input),
    addCollectiveLeaveDay: (_: unknown, { input }: Input, context: ComplaintsContext) =>
      addCollectiveLeaveDay(context, input),
    removeCollectiveLeaveDay: (_: unknown, { input }: Input, context: ComplaintsContext) =>
      removeCollectiveLeaveDay(context, input),
    // Hub services only (@inaccessible): the escalation service's outbox relay.
    applyEscalationAcceptance: (_: unknown, { input }: Input, context: ComplaintsContext) => applyEscalationAcceptance(context, input),
  },
  Complaint: {
    // An entity reference never reveals a complaint the caller may not read, nor errs about it.
    __resolveReference: async (reference: { id: string }, context: ComplaintsContext) => {
      const complaint = await context.loaders.complaintById.load(reference.id);
      return (await readable(complaint, context)) ? complaint : null;
    },
    category: (complaint: Complaint) => (complaint.categoryId ? { __typename: 'Category', id: complaint.categoryId } : null),
    addressedAgency: (complaint: Complaint) => agencyRef(complaint.addressedAgencyId),
    assignedAgency: (complaint: Complaint) => agencyRef(complaint.assignedAgencyId),
    overdue: (complaint: Complaint) => isOverdue(complaint, new Date()),
    reporter: async (complaint: Complaint, _: unknown, context: ComplaintsContext) =>
      canReadReporter(context.viewer, complaint, await context.nodesOf(complaint), context.reporterOf.has(complaint.id))
        ? context.loaders.reporterByComplaintId.load(complaint.id)
        : null,
    followUps: (complaint: Complaint, _: unknown, context: ComplaintsContext) => context.loaders.followUpsByComplaintId.load(complaint.id),
    timeline: (complaint: Complaint, _: unknown, context: ComplaintsContext) => context.loaders.timelineByComplaintId.load(complaint.id),
  },
  FollowUp: {
    agency: (followUp: FollowUp) => agencyRef(followUp.agencyId),
  },
  TimelineEntry: {
    actorAgency: (entry: TimelineEntry) => agencyRef(entry.actorAgencyId),
    agency: (entry: TimelineEntry) => agencyRef(entry.agencyId),
  },
  Agency: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    assignedComplaints: agencyComplaints('assigned'),
    addressedComplaints: agencyComplaints('addressed'),
    complaintStats: (agency: { id: string }, args: { from: Date; to: Date; includeDescendants?: boolean | null }, context: ComplaintsContext) =>
      agencyStats(context, { agencyId: agency.id, ...args }),
  },
};
