import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar, ForbiddenError, pageArgs, toConnection } from '@lapor-hub/lib';
import { complaintSortKey, type AgencyRelation } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import { canListComplaints, canReadComplaint, canReadReporter, listsPublicOnly } from '../domain/access';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import type { Complaint, ComplaintStatus } from '../entities/complaint';
import { submitComplaint } from '../services/submit-complaint';

interface ListArgs {
  status?: ComplaintStatus | null;
  first?: number | null;
  after?: string | null;
}

function visible(complaint: Complaint | null, context: ComplaintsContext): Complaint | null {
  if (!complaint) return null;
  return canReadComplaint(context.viewer, complaint, context.reporterOf.has(complaint.id)) ? complaint : null;
}

function agencyComplaints(relation: AgencyRelation) {
  return async (agency: { id: string }, args: ListArgs, context: ComplaintsContext) => {
    if (!canListComplaints(context.viewer)) throw new ForbiddenError('This role sees statistics only');
    const page = pageArgs(args);
    const filter = { relation, status: args.status ?? null, publicOnly: listsPublicOnly(context.viewer) };
    const { complaintPage, complaintCount } = context.loaders;
    const rows = await complaintPage.load({ ownerId: agency.id, filter, page });
    return toConnection(rows, page.first, complaintSortKey, () => complaintCount.load({ ownerId: agency.id, filter }));
  };
}

export const resolvers: GraphQLResolverMap<ComplaintsContext> = {
  DateTime: DateTimeScalar,
  Query: {
    complaint: async (_: unknown, { id }: { id: string }, context: ComplaintsContext) =>
      visible(await context.loaders.complaintById.load(id), context),
    complaintByTrackingId: async (
      _: unknown,
      { trackingId, reporterToken }: { trackingId: string; reporterToken?: string | null },
      context: ComplaintsContext,
    ) => {
      const complaint = await context.complaints.findByTrackingId(trackingId.trim().toUpperCase());
      if (complaint && reporterToken && reporterTokenMatches(reporterToken, complaint.reporterTokenHash)) {
        context.reporterOf.add(complaint.id);
      }
      return visible(complaint, context);
    },
  },
  Mutation: {
    submitComplaint: async (_: unknown, { input }: { input: unknown }, context: ComplaintsContext) => {
      const result = await submitComplaint(context, input);
      // Whoever submitted holds the token, so the payload may show them everything they sent.
      context.reporterOf.add(result.complaint.id);
      return result;
    },
  },
  Complaint: {
    __resolveReference: async (reference: { id: string }, context: ComplaintsContext) =>
      visible(await context.loaders.complaintById.load(reference.id), context),
    category: (complaint: Complaint) => (complaint.categoryId ? { __typename: 'Category', id: complaint.categoryId } : null),
    addressedAgency: (complaint: Complaint) => ({ __typename: 'Agency', id: complaint.addressedAgencyId }),
    assignedAgency: (complaint: Complaint) =>
      complaint.assignedAgencyId ? { __typename: 'Agency', id: complaint.assignedAgencyId } : null,
    reporter: (complaint: Complaint, _: unknown, context: ComplaintsContext) =>
      canReadReporter(context.viewer, complaint, context.reporterOf.has(complaint.id))
        ? context.loaders.reporterByComplaintId.load(complaint.id)
        : null,
  },
  Agency: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    assignedComplaints: agencyComplaints('assigned'),
    addressedComplaints: agencyComplaints('addressed'),
  },
};
