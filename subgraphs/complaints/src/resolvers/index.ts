import { DateTimeScalar, pageArgs, toConnection } from '@lapor-hub/lib';
import { complaintSortKey, type AgencyRelation } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import { canReadComplaint, canReadReporter, listScope } from '../domain/access';
import { isOverdue } from '../domain/workflow';
import { reporterTokenMatches } from '../domain/reporter-secrets';
import type { Complaint } from '../entities/complaint';
import type { AgencyAddressedComplaintsArgs, AgencyAssignedComplaintsArgs, Resolvers } from '../generated/resolvers-types';
import { breachedComplaints } from '../services/breached-complaints';
import { agencyStats, nationalDashboard } from '../services/dashboard';
import { addCollectiveLeaveDay, collectiveLeaveDays, removeCollectiveLeaveDay } from '../services/calendar';
import { markAsDuplicate, possibleDuplicates, supportComplaint } from '../services/duplicates';
import { attachmentLinks, hideUploaderNames, registerAttachmentUpload, removeStaleAttachmentUploads } from '../services/attachments';
import { applyEscalationAcceptance } from '../services/escalation-acceptance';
import { forwardComplaint, postFollowUp, rejectComplaint, replyToComplaint, verifyComplaint } from '../services/lifecycle';
import { publicComplaints, searchComplaints } from '../services/search';
import { stopReporterNotifications } from '../services/stop-reporter-notifications';
import { submitComplaint } from '../services/submit-complaint';

const agencyRef = (id: string | null | undefined) => (id ? { __typename: 'Agency', id } : null);

async function readable(complaint: Complaint | null, context: ComplaintsContext): Promise<boolean> {
  if (!complaint) return false;
  return canReadComplaint(context.viewer, complaint, await context.nodesOf(complaint), context.reporterOf.has(complaint.id));
}

/** A complaint the caller may not read answers as one that does not exist: a lookup tells nobody what exists. */
async function readableOrNull(complaint: Complaint | null, context: ComplaintsContext): Promise<Complaint | null> {
  return complaint && (await readable(complaint, context)) ? complaint : null;
}

function agencyComplaints(relation: AgencyRelation) {
  return async (agency: { id: string }, args: AgencyAssignedComplaintsArgs | AgencyAddressedComplaintsArgs, context: ComplaintsContext) => {
    const node = context.viewer.kind === 'officer' ? await context.loaders.nodeById.load(agency.id) : null;
    const scope = listScope(context.viewer, node, relation);
    const page = pageArgs(args);
    const filter = { relation, status: args.status ?? null, overdue: args.overdue ?? null, districtCode: args.districtCode ?? null, ...scope };
    const { complaintPage, complaintCount } = context.loaders;
    const rows = await complaintPage.load({ ownerId: agency.id, filter, page });
    return toConnection(rows, page.first, complaintSortKey, () => complaintCount.load({ ownerId: agency.id, filter }));
  };
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    complaint: async (_, { id }, context) => readableOrNull(await context.loaders.complaintById.load(id), context),
    complaintByTrackingId: async (_, { trackingId, reporterToken }, context) => {
      const complaint = await context.complaints.findByTrackingId(trackingId.trim().toUpperCase());
      if (complaint && reporterToken && reporterTokenMatches(reporterToken, complaint.reporterTokenHash)) {
        context.reporterOf.add(complaint.id);
      }
      return readableOrNull(complaint, context);
    },
    publicComplaints: (_, args, context) => publicComplaints(context, args),
    searchComplaints: (_, args, context) => searchComplaints(context, args),
    collectiveLeaveDays: (_, { year }, context) => collectiveLeaveDays(context, { year }),
    nationalDashboard: (_, args, context) => nationalDashboard(context, args),
    // Hub services only (@inaccessible): the escalation service's sweep.
    breachedComplaints: (_, args, context) => breachedComplaints(context, args),
  },
  Mutation: {
    submitComplaint: async (_, { input }, context) => {
      const result = await submitComplaint(context, input);
      // Whoever submitted holds the token, so the payload may show them everything they sent.
      context.reporterOf.add(result.complaint.id);
      return result;
    },
    verifyComplaint: (_, { input }, context) => verifyComplaint(context, input),
    rejectComplaint: (_, { input }, context) => rejectComplaint(context, input),
    forwardComplaint: (_, { input }, context) => forwardComplaint(context, input),
    postFollowUp: (_, { input }, context) => postFollowUp(context, input),
    replyToComplaint: (_, { input }, context) => replyToComplaint(context, input),
    stopReporterNotifications: (_, { input }, context) => stopReporterNotifications(context, input),
    markAsDuplicate: (_, { input }, context) => markAsDuplicate(context, input),
    supportComplaint: (_, { input }, context) => supportComplaint(context, input),
    addCollectiveLeaveDay: (_, { input }, context) => addCollectiveLeaveDay(context, input),
    removeCollectiveLeaveDay: (_, { input }, context) => removeCollectiveLeaveDay(context, input),
    // Hub services only (@inaccessible): the escalation service's outbox relay.
    applyEscalationAcceptance: (_, { input }, context) => applyEscalationAcceptance(context, input),
    // The gateway only (@inaccessible): evidence uploads it stored, and their removal when never claimed.
    registerAttachmentUpload: (_, { input }, context) => registerAttachmentUpload(context, input),
    removeStaleAttachmentUploads: (_, { input }, context) => removeStaleAttachmentUploads(context, input),
  },
  Complaint: {
    // An entity reference never reveals a complaint the caller may not read, nor errs about it.
    __resolveReference: async (reference, context) => readableOrNull(await context.loaders.complaintById.load(reference.id), context),
    category: (complaint) => (complaint.categoryId ? { __typename: 'Category', id: complaint.categoryId } : null),
    addressedAgency: (complaint) => agencyRef(complaint.addressedAgencyId),
    assignedAgency: (complaint) => agencyRef(complaint.assignedAgencyId),
    overdue: (complaint) => isOverdue(complaint, new Date()),
    location: (complaint) => (complaint.latitude == null || complaint.longitude == null ? null : { latitude: complaint.latitude, longitude: complaint.longitude }),
    reporter: async (complaint, _, context) =>
      canReadReporter(context.viewer, complaint, await context.nodesOf(complaint), context.reporterOf.has(complaint.id))
        ? context.loaders.reporterByComplaintId.load(complaint.id)
        : null,
    followUps: (complaint, _, context) => context.loaders.followUpsByComplaintId.load(complaint.id),
    attachments: async (complaint, _, context) => {
      // Every path to a complaint checks it may be read; checked again here, as a link is a permission.
      if (!(await readable(complaint, context))) return [];
      const own = (await context.loaders.attachmentsByComplaintId.load(complaint.id)).filter((attachment) => attachment.followUpId === null);
      return hideUploaderNames(complaint, own, context.reporterOf.has(complaint.id));
    },
    timeline: (complaint, _, context) => context.loaders.timelineByComplaintId.load(complaint.id),
    duplicateOf: async (complaint, _, context) => {
      const original = complaint.duplicateOfId ? await context.loaders.complaintById.load(complaint.duplicateOfId) : null;
      return (await readable(original, context)) ? original : null;
    },
    duplicates: async (complaint, _, context) => {
      const duplicates = await context.loaders.duplicatesByOriginalId.load(complaint.id);
      const shown = await Promise.all(duplicates.map((duplicate) => readable(duplicate, context)));
      return duplicates.filter((_, index) => shown[index]);
    },
    supportCount: (complaint, _, context) => context.loaders.supportCountById.load(complaint.id),
    possibleDuplicates: (complaint, args, context) => possibleDuplicates(context, complaint, args),
  },
  Escalation: {
    // Who reads the escalation is the escalation subgraph's to decide; who reads its complaint is ours.
    __resolveReference: (reference) => reference,
    complaint: async (escalation, _, context) => readableOrNull(await context.loaders.complaintById.load(escalation.complaintId), context),
  },
  FollowUp: {
    agency: (followUp) => agencyRef(followUp.agencyId),
    attachments: async (followUp, _, context) =>
      (await context.loaders.attachmentsByComplaintId.load(followUp.complaintId)).filter((attachment) => attachment.followUpId === followUp.id),
  },
  Attachment: {
    url: (attachment, _, context) => attachmentLinks(attachment, context.attachmentUrlSecret).url,
    thumbnailUrl: (attachment, _, context) => attachmentLinks(attachment, context.attachmentUrlSecret).thumbnailUrl,
  },
  TimelineEntry: {
    actorAgency: (entry) => agencyRef(entry.actorAgencyId),
    agency: (entry) => agencyRef(entry.agencyId),
  },
  Agency: {
    __resolveReference: (reference) => ({ id: reference.id }),
    assignedComplaints: agencyComplaints('assigned'),
    addressedComplaints: agencyComplaints('addressed'),
    complaintStats: (agency, args, context) => agencyStats(context, { agencyId: agency.id, ...args }),
  },
};
