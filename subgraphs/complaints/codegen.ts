import type { ResolverTypesConfig } from '../../schema/codegen';

/** How `npm run codegen` types this subgraph's resolvers: its context, and the model behind each type. */
export const resolverTypes: ResolverTypesConfig = {
  contextType: '../context#ComplaintsContext',
  mappers: {
    Complaint: '../entities/complaint#Complaint as ComplaintModel',
    FollowUp: '../entities/follow-up#FollowUp as FollowUpModel',
    TimelineEntry: '../entities/timeline-entry#TimelineEntry as TimelineEntryModel',
    Attachment: '../attachment-repository#Attachment as AttachmentModel',
    // totalCount is a thunk: its query runs only when a client selects it.
    ComplaintConnection: '../complaint-repository#ComplaintPage',
    // Another subgraph's entity: this one knows its id only.
    Agency: '{ id: string }',
    // The escalation subgraph's: this one knows its id and, through @requires, its complaint's.
    Escalation: '{ id: string; complaintId: string }',
  },
};
