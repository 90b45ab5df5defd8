import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROLES, type Role } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub, type GraphQLResponse } from './support/hub';
import { createUnit, submit, type Submitted } from './support/lifecycle';

/**
 * The access policy of the public API as one table: every Query and Mutation field and every
 * guarded entity field × every role × where the caller's node stands to the node in question,
 * plus the public (no token at all). The node in question is Kabupaten Bima (`region-52.06`):
 * it holds the complaint, sent or is asked to answer the escalation, owns the list or figures.
 * Every cell runs through the gateway, and the test fails on any cell that differs.
 *
 * The national roles' tokens name a node too; their rows show that which one does not matter. The
 * national admin's token always names the national node: the gateway refuses one that names any
 * other (test/tokens.test.ts), so its row is the same in every standing.
 */
type Standing = 'holder' | 'sibling' | 'parent' | 'ministry';
const NODE_OF: Record<Standing, string> = {
  holder: 'region-52.06',
  sibling: 'region-52.01',
  parent: 'region-52',
  ministry: 'kemenkes',
};
const HOLDER = NODE_OF.holder;
const STANDINGS = Object.keys(NODE_OF) as Standing[];

/**
 * `hidden`: no error, but what the cell asks for reads as null (a field the caller may not see, a
 * complaint the public may not know of) or is missing from its list.
 */
type Outcome = 'allow' | 'hidden' | 'FORBIDDEN' | 'UNAUTHENTICATED';
type Row = { public: Outcome } & Record<Role, Record<Standing, Outcome>>;

const A = 'allow' as const;
const H = 'hidden' as const;
const F = 'FORBIDDEN' as const;
const U = 'UNAUTHENTICATED' as const;
const all = (outcome: Outcome): Record<Standing, Outcome> => ({ holder: outcome, sibling: outcome, parent: outcome, ministry: outcome });
/** The standings named get their outcome; every other standing is refused. */
const only = (outcomes: Partial<Record<Standing, Outcome>>): Record<Standing, Outcome> => ({ ...all(F), ...outcomes });
const holderOrParent = only({ holder: A, parent: A });
const holderOnly = only({ holder: A });
/**
 * A by-id read of what the caller may not read answers as for an id that does not exist: null,
 * not FORBIDDEN (issue 12, item 5: no existence oracle). These rows used FORBIDDEN before.
 */
const hiddenBeyond = (outcomes: Partial<Record<Standing, Outcome>>): Record<Standing, Outcome> => ({ ...all(H), ...outcomes });
const holderOrParentElseHidden = hiddenBeyond({ holder: A, parent: A });
const everyone = (outcome: Outcome): Row =>
  ({ public: outcome, ...Object.fromEntries(ROLES.map((role) => [role, all(outcome)])) }) as Row;
/** What only the national admin may do; the public must first authenticate. */
const nationalAdminOnly: Row = {
  public: U,
  NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
};
/** What every officer may read; the public must first authenticate. */
const officersOnly: Row = { public: U, ...Object.fromEntries(ROLES.map((role) => [role, all(A)])) } as Row;
/** A change to a node's own subgraph: its admin, or the national admin for any node. */
const nodeSubgraphChange: Row = {
  public: U,
  NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
};
/**
 * A supervisory escalation in a node's lists: there for its Inspectorate (and the parent's, which
 * monitors it), left out for the officials the complaint may concern.
 */
const supervisoryEscalationList: Row = {
  public: U,
  NATIONAL_ADMIN: all(A),
  AGENCY_ADMIN: only({ holder: H, parent: H }),
  LIAISON_OFFICER: only({ holder: H, parent: H }),
  INSPECTOR: holderOrParent,
  AGENCY_SYSTEM: only({ holder: H, parent: H }),
  DASHBOARD: all(F),
};

/** A subscription the holder's admin made: its admin and the national admin manage it. */
const webhookManagers: Row = {
  public: U,
  NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
};

/**
 * The policy. A key is a schema coordinate (`Type.field`), with the case it covers in
 * parentheses when one field has several.
 */
const POLICY = {
  // The directory and the working-day calendar are public.
  'Query.agency': everyone(A),
  'Query.agencyByRegionCode': everyone(A),
  'Query.agencies': everyone(A),
  'Query.categories': everyone(A),
  'Query.category': everyone(A),
  'Query.collectiveLeaveDays': everyone(A),

  // A complaint that is neither confidential nor supervisory is public: every caller reads it, an
  // officer of any node at least as the public does (issue 12, item 5: these officers were
  // refused before, seeing less than the public). Who sees more (the reporter) is in other rows.
  'Query.complaint': everyone(A),
  'Query.complaint (submitted)': everyone(A),
  // A confidential complaint: its node and the parent that monitors it read it; to everyone else
  // it does not exist.
  'Query.complaint (confidential)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParentElseHidden, LIAISON_OFFICER: holderOrParentElseHidden, INSPECTOR: all(H), AGENCY_SYSTEM: holderOrParentElseHidden, DASHBOARD: all(H),
  },
  // Supervisory complaints are the Inspectorate's alone among the officers, and never public
  // (issue 12, item 2: the public read them before).
  'Query.complaint (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(H), LIAISON_OFFICER: all(H), INSPECTOR: holderOrParentElseHidden, AGENCY_SYSTEM: all(H), DASHBOARD: all(H),
  },
  'Query.complaintByTrackingId': everyone(A),
  'Query.complaintByTrackingId (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(H), LIAISON_OFFICER: all(H), INSPECTOR: holderOrParentElseHidden, AGENCY_SYSTEM: all(H), DASHBOARD: all(H),
  },
  // The reporter's token proves the reporter, whatever else the caller carries.
  'Query.complaintByTrackingId (with the reporter token)': everyone(A),
  'Query.complaintByTrackingId (supervisory, with the reporter token)': everyone(A),
  // The public listing is the same for everyone: never a confidential or supervisory complaint.
  'Query.publicComplaints': everyone(A),
  'Query.publicComplaints (confidential)': everyone(H),
  'Query.publicComplaints (supervisory)': everyone(H),
  // Search within the holder: the public searches its public listing; an officer of the holder
  // or its parent what their role reads there; a node elsewhere is refused.
  'Query.searchComplaints': {
    public: A,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParent, LIAISON_OFFICER: holderOrParent, INSPECTOR: only({ holder: H, parent: H }), AGENCY_SYSTEM: holderOrParent, DASHBOARD: all(F),
  },
  'Query.searchComplaints (confidential)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParent, LIAISON_OFFICER: holderOrParent, INSPECTOR: only({ holder: H, parent: H }), AGENCY_SYSTEM: holderOrParent, DASHBOARD: all(F),
  },
  'Query.searchComplaints (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: only({ holder: H, parent: H }),
    LIAISON_OFFICER: only({ holder: H, parent: H }),
    INSPECTOR: holderOrParent,
    AGENCY_SYSTEM: only({ holder: H, parent: H }),
    DASHBOARD: all(F),
  },
  'Query.nationalDashboard': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(A),
  },
  // An escalation from the holder to its parent: the nodes at either end read it; the Inspectorate
  // reads only supervisory escalations (issue 12, item 5: it read this one before).
  'Query.escalation': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParentElseHidden, LIAISON_OFFICER: holderOrParentElseHidden, INSPECTOR: all(H), AGENCY_SYSTEM: holderOrParentElseHidden, DASHBOARD: all(H),
  },
  // A supervisory complaint's escalation, from the holder to its parent: among the officers of
  // either end, the Inspectorate alone reads it (its note may name the officials concerned).
  'Query.escalation (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(H), LIAISON_OFFICER: all(H), INSPECTOR: holderOrParentElseHidden, AGENCY_SYSTEM: all(H), DASHBOARD: all(H),
  },

  // The reporter of a named complaint: to the node that acts on it, not to the parent that monitors.
  // (The complaint is public, so every caller reads it and the cells differ only in the reporter:
  // other nodes' officers were refused the whole complaint before, issue 12, item 5.)
  'Complaint.reporter': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: hiddenBeyond({ holder: A }),
    LIAISON_OFFICER: hiddenBeyond({ holder: A }),
    INSPECTOR: all(H),
    AGENCY_SYSTEM: hiddenBeyond({ holder: A }),
    DASHBOARD: all(H),
  },
  // An anonymous reporter: to nobody.
  'Complaint.reporter (anonymous)': everyone(H),
  // Duplicate candidates are for the admins who verify: the national admin and the holder's admin.
  'Complaint.possibleDuplicates': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // The public complaint's escalation: to the nodes at either end (the public reads no escalation
  // of any complaint, the Inspectorate only supervisory ones).
  'Complaint.escalations': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParentElseHidden, LIAISON_OFFICER: holderOrParentElseHidden, INSPECTOR: all(H), AGENCY_SYSTEM: holderOrParentElseHidden, DASHBOARD: all(H),
  },
  // The supervisory complaint's own escalations: to whoever reads the complaint.
  'Complaint.escalations (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(H), LIAISON_OFFICER: all(H), INSPECTOR: holderOrParentElseHidden, AGENCY_SYSTEM: all(H), DASHBOARD: all(H),
  },
  // Whoever reads the escalation reads its (public) complaint.
  'Escalation.complaint': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: holderOrParentElseHidden,
    LIAISON_OFFICER: holderOrParentElseHidden,
    INSPECTOR: all(H),
    AGENCY_SYSTEM: holderOrParentElseHidden,
    DASHBOARD: all(H),
  },

  // A node's lists: the complaint is listed to whoever may read it; the Inspectorate's list holds
  // only supervisory complaints.
  'Agency.assignedComplaints': {
    public: A,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: holderOrParent,
    LIAISON_OFFICER: holderOrParent,
    INSPECTOR: only({ holder: H, parent: H }),
    AGENCY_SYSTEM: holderOrParent,
    DASHBOARD: all(F),
  },
  'Agency.assignedComplaints (confidential)': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: holderOrParent,
    LIAISON_OFFICER: holderOrParent,
    INSPECTOR: only({ holder: H, parent: H }),
    AGENCY_SYSTEM: holderOrParent,
    DASHBOARD: all(F),
  },
  // Never public (issue 12, item 2: the public listed it before).
  'Agency.assignedComplaints (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: only({ holder: H, parent: H }),
    LIAISON_OFFICER: only({ holder: H, parent: H }),
    INSPECTOR: holderOrParent,
    AGENCY_SYSTEM: only({ holder: H, parent: H }),
    DASHBOARD: all(F),
  },
  // What citizens addressed to a node is its admin's to screen, and its parent's to monitor.
  'Agency.addressedComplaints': {
    public: A,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: holderOrParent,
    LIAISON_OFFICER: only({ parent: A }),
    INSPECTOR: only({ parent: H }),
    AGENCY_SYSTEM: only({ parent: A }),
    DASHBOARD: all(F),
  },
  'Agency.addressedComplaints (supervisory)': {
    public: H,
    NATIONAL_ADMIN: all(A),
    AGENCY_ADMIN: only({ holder: H, parent: H }),
    LIAISON_OFFICER: only({ parent: H }),
    INSPECTOR: only({ parent: A }),
    AGENCY_SYSTEM: only({ parent: H }),
    DASHBOARD: all(F),
  },
  'Agency.complaintStats': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParent, LIAISON_OFFICER: holderOrParent, INSPECTOR: holderOrParent, AGENCY_SYSTEM: holderOrParent, DASHBOARD: all(A),
  },
  // The Inspectorate lists only supervisory escalations (issue 12, item 5: it listed these before).
  'Agency.incomingEscalations': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParent, LIAISON_OFFICER: holderOrParent, INSPECTOR: only({ holder: H, parent: H }), AGENCY_SYSTEM: holderOrParent, DASHBOARD: all(F),
  },
  'Agency.incomingEscalations (supervisory)': supervisoryEscalationList,
  'Agency.outgoingEscalations': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOrParent, LIAISON_OFFICER: holderOrParent, INSPECTOR: only({ holder: H, parent: H }), AGENCY_SYSTEM: holderOrParent, DASHBOARD: all(F),
  },
  'Agency.outgoingEscalations (supervisory)': supervisoryEscalationList,

  // No wrong door: anyone files a complaint, and the reporter's token alone answers a follow-up.
  'Mutation.submitComplaint': everyone(A),
  'Mutation.replyToComplaint': everyone(A),
  'Mutation.stopReporterNotifications': everyone(A),
  // "Me too" on a public complaint needs no token, like a submission.
  'Mutation.supportComplaint': everyone(A),
  'Mutation.markAsDuplicate': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  'Mutation.createAgencyUnit': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  'Mutation.verifyComplaint': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  'Mutation.rejectComplaint': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  'Mutation.forwardComplaint (to a unit of the node)': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: all(F), INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // Sending a complaint out of the node is the national admin's (a node escalates instead).
  'Mutation.forwardComplaint (to a ministry)': nationalAdminOnly,
  'Mutation.postFollowUp': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: holderOnly, INSPECTOR: all(F), AGENCY_SYSTEM: holderOnly, DASHBOARD: all(F),
  },
  'Mutation.postFollowUp (supervisory)': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: holderOnly, AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  'Mutation.addCollectiveLeaveDay': nationalAdminOnly,
  'Mutation.removeCollectiveLeaveDay': nationalAdminOnly,
  'Mutation.escalateComplaint': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: holderOnly, INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // The Inspectorate moves a supervisory complaint, not the officials it may concern.
  'Mutation.escalateComplaint (supervisory)': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: holderOnly, AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // The holder is the node asked to act, by another node.
  'Mutation.respondToEscalation': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: holderOnly, LIAISON_OFFICER: holderOnly, INSPECTOR: all(F), AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // A SUPERVISORY escalation asks the holder's Inspectorate unit: the Inspectorate answers it, not
  // the officials it may concern.
  'Mutation.respondToEscalation (supervisory)': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: holderOnly, AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },
  // A supervisory complaint escalated to the holder for another reason: its Inspectorate answers.
  'Mutation.respondToEscalation (supervisory complaint)': {
    public: U,
    NATIONAL_ADMIN: all(A), AGENCY_ADMIN: all(F), LIAISON_OFFICER: all(F), INSPECTOR: holderOnly, AGENCY_SYSTEM: all(F), DASHBOARD: all(F),
  },

  // The schema registry: officers read it; a node's admin changes its own node's subgraph. The
  // checks themselves refuse the probes' candidate (its URL does not answer), so nothing is published.
  'Query.nodeSubgraphs': officersOnly,
  'Query.supergraph': officersOnly,
  'Agency.subgraph': officersOnly,
  'Mutation.checkNodeSubgraph': nodeSubgraphChange,
  'Mutation.publishNodeSubgraph': nodeSubgraphChange,
  'Mutation.removeNodeSubgraph': nodeSubgraphChange,
  // A node's webhooks are its admin's (those for its officers) and its Inspectorate's (its own),
  // and the national admin's for any node; no one else's, not even the parent's.
  'Agency.webhookSubscriptions': { ...webhookManagers, INSPECTOR: only({ holder: H }) },
  'Agency.webhookSubscriptions (inspectorate)': { ...webhookManagers, AGENCY_ADMIN: only({ holder: H }), INSPECTOR: holderOnly },
  'Mutation.createWebhookSubscription': { ...webhookManagers, INSPECTOR: holderOnly },
  'Mutation.rotateWebhookSecret': webhookManagers,
  'Mutation.deleteWebhookSubscription': webhookManagers,
  'Mutation.redeliverWebhook': webhookManagers,
} satisfies Record<string, Row>;

type Operation = keyof typeof POLICY;

/**
 * Fields read by whoever may read the object they belong to, with no rule of their own. Every
 * object-type field of the API schema is here or in POLICY, never both.
 */
const VISIBLE_WITH_PARENT: Record<string, readonly string[]> = {
  Agency: ['id', 'name', 'acronym', 'kind', 'regionCode', 'parent', 'ancestors', 'timeZone', 'children'],
  AgencyConnection: ['edges', 'pageInfo', 'totalCount'],
  AgencyEdge: ['cursor', 'node'],
  AgencyRanking: ['rank', 'agency', 'forwarded', 'closed', 'completionRate', 'averageRating', 'ratingCount', 'ratingRank'],
  Category: ['id', 'name', 'description'],
  CollectiveLeaveDay: ['date', 'description'],
  Complaint: [
    'id', 'trackingId', 'type', 'title', 'body', 'status', 'channel', 'anonymous', 'confidential', 'regionCode', 'category',
    'addressedAgency', 'assignedAgency', 'submittedAt', 'verifyDueAt', 'followUpDueAt', 'closesAt', 'overdue', 'rejectionReason',
    'closedBy', 'disputeCount', 'supervisory', 'followUps', 'timeline', 'version', 'districtCode', 'villageCode', 'location',
    // Each complaint in them is checked as any complaint is: null or left out where the caller may not read it.
    'duplicateOf', 'duplicates', 'supportCount',
    // Evidence is read with the complaint's text, by exactly its readers; the signed links that
    // only they are given, and their refusals, are test/attachments.test.ts's.
    'attachments',
  ],
  Attachment: ['id', 'filename', 'contentType', 'size', 'url', 'thumbnailUrl'],
  ComplaintConnection: ['edges', 'pageInfo', 'totalCount'],
  ComplaintEdge: ['cursor', 'node'],
  // The escalation figures are read by whoever the complaints subgraph let read the figures.
  ComplaintStats: [
    'scope', 'from', 'to', 'total', 'byStatus', 'forwarded', 'closed', 'completionRate', 'targetCompletionRate', 'closedByReporter',
    'closedBySystem', 'overdue', 'disputed', 'disputes', 'medianWorkingDaysToFollowUp', 'overdueEscalationResponses', 'escalationsReceived',
    'averageRating', 'ratings',
  ],
  Escalation: ['id', 'fromAgency', 'toAgency', 'reason', 'status', 'note', 'responseNote', 'createdAt', 'respondedAt', 'respondDueAt', 'overdue', 'reassignment'],
  EscalationConnection: ['edges', 'pageInfo', 'totalCount'],
  EscalationEdge: ['cursor', 'node'],
  DuplicateCandidate: ['complaint', 'similarity'],
  FollowUp: ['id', 'body', 'agency', 'authorRole', 'postedAt', 'attachments'],
  GeoPoint: ['latitude', 'longitude'],
  NationalDashboard: ['stats', 'provinces', 'regenciesAndCities', 'ministries'],
  OverdueCounts: ['verification', 'followUp'],
  PageInfo: ['hasNextPage', 'endCursor'],
  RatingCount: ['rating', 'count'],
  Reporter: ['name', 'email', 'phone'],
  StatusCount: ['status', 'count'],
  TimelineEntry: ['id', 'action', 'fromStatus', 'toStatus', 'actorKind', 'actorRole', 'actorAgency', 'agency', 'note', 'at'],
  // A payload goes to whoever the mutation let through.
  AddCollectiveLeaveDayPayload: ['day'],
  CreateAgencyUnitPayload: ['agency'],
  EscalateComplaintPayload: ['escalation'],
  ForwardComplaintPayload: ['complaint'],
  MarkAsDuplicatePayload: ['complaint'],
  SupportComplaintPayload: ['complaint'],
  PostFollowUpPayload: ['complaint'],
  RejectComplaintPayload: ['complaint'],
  RemoveCollectiveLeaveDayPayload: ['date', 'removed'],
  ReplyToComplaintPayload: ['complaint'],
  RespondToEscalationPayload: ['escalation'],
  StopReporterNotificationsPayload: ['trackingId', 'stopped'],
  CheckNodeSubgraphPayload: ['ok', 'errors', 'warnings'],
  PublishNodeSubgraphPayload: ['ok', 'errors', 'warnings', 'subgraph', 'supergraphVersion'],
  RemoveNodeSubgraphPayload: ['namespace', 'supergraphVersion'],
  SchemaCheckMessage: ['code', 'message'],
  // The registry's entries go to whoever may read the registry.
  NodeSubgraph: ['namespace', 'agency', 'url', 'sdl', 'version', 'publishedAt', 'versions'],
  NodeSubgraphVersion: ['version', 'url', 'sdl', 'publishedBy', 'publishedByRole', 'publishedByAgencyId', 'publishedAt'],
  NodeSubgraphConnection: ['edges', 'pageInfo', 'totalCount'],
  NodeSubgraphEdge: ['cursor', 'node'],
  Supergraph: ['version', 'composedAt', 'subgraphs'],
  SupergraphSubgraph: ['name', 'url'],
  SubmitComplaintPayload: ['complaint', 'reporterToken'],
  VerifyComplaintPayload: ['complaint'],
  WebhookSubscription: ['id', 'agency', 'url', 'events', 'active', 'description', 'disabledReason', 'inspectorate', 'includeDescendants', 'createdAt', 'deliveries'],
  WebhookDelivery: ['id', 'event', 'status', 'attempts', 'responseStatus', 'lastAttemptAt', 'nextAttemptAt', 'createdAt'],
  WebhookDeliveryConnection: ['edges', 'pageInfo', 'totalCount'],
  WebhookDeliveryEdge: ['cursor', 'node'],
  CreateWebhookSubscriptionPayload: ['subscription', 'secret'],
  RotateWebhookSecretPayload: ['subscription', 'secret'],
  DeleteWebhookSubscriptionPayload: ['subscriptionId'],
  RedeliverWebhookPayload: ['delivery'],
};

let hub: TestHub;
let national: string;

/** The state the read cells look at; the mutation cells make their own. */
interface Fixtures {
  unitId: string;
  inspectorateId: string;
  named: Submitted;
  submitted: Submitted;
  confidential: Submitted;
  supervisory: Submitted;
  anonymous: Submitted;
  /** From the holder to its parent, about `named`. */
  outgoingEscalationId: string;
  /** From a ministry that holds another complaint, to the holder. */
  incomingEscalationId: string;
  /** From the holder to its parent, about `supervisory`. */
  supervisoryOutgoingEscalationId: string;
  /** From a ministry that holds another supervisory complaint, to the holder. */
  supervisoryIncomingEscalationId: string;
  /** The holder's webhook subscriptions, made by its admin and by its Inspectorate, and a delivery of the first. */
  subscriptionId: string;
  inspectorateSubscriptionId: string;
  deliveryId: string;
}
let fixtures: Fixtures;

const ESCALATE = `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`;
const RESPOND = `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id } } }`;
const STEPS = {
  VERIFIED: `mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { version } } }`,
  FORWARDED: `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { version } } }`,
  FOLLOWED_UP: `mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { version } } }`,
} as const;
type State = 'SUBMITTED' | keyof typeof STEPS;

/** A step of the fixtures, as the national admin; it must succeed. */
async function asNationalAdmin(query: string, input: Record<string, unknown>): Promise<any> {
  const { data, errors } = await hub.query(query, { input }, national);
  if (errors) throw new Error(JSON.stringify(errors));
  return Object.values(data)[0];
}

/**
 * A fresh complaint about Kabupaten Bima in the given state, moved there by the national admin.
 * `supervisory` is set directly: the marking otherwise arrives only through an accepted escalation.
 */
async function complaintIn(
  state: State,
  { supervisory = false, assignedTo = HOLDER, ...submission }: { supervisory?: boolean; assignedTo?: string; confidential?: boolean; anonymous?: boolean } = {},
): Promise<Submitted> {
  const complaint = await submit(hub, submission);
  const inputs = {
    VERIFIED: {},
    FORWARDED: { agencyId: assignedTo },
    FOLLOWED_UP: { body: 'Jembatan sedang diperbaiki' },
  };
  const order = Object.keys(STEPS) as (keyof typeof STEPS)[];
  for (const step of state === 'SUBMITTED' ? [] : order.slice(0, order.indexOf(state) + 1)) {
    const payload = await asNationalAdmin(STEPS[step], { complaintId: complaint.id, version: complaint.version, ...inputs[step] });
    complaint.version = payload.complaint.version;
  }
  if (supervisory) await hub.sql('complaints', 'update complaints.complaint set supervisory = true where id = $1', [complaint.id]);
  return complaint;
}

async function escalation(complaintId: string, toAgencyId: string, reason: string): Promise<string> {
  return (await asNationalAdmin(ESCALATE, { complaintId, toAgencyId, reason })).escalation.id;
}

/**
 * Puts complaints past their deadline: the list cells ask for `overdue: true`, which keeps the
 * lists short however many fresh complaints the mutation cells add to the holder.
 */
async function makeOverdue(...complaints: Submitted[]): Promise<void> {
  await hub.sql('complaints', `update complaints.complaint set current_due_at = now() - interval '1 hour' where id = any($1)`, [complaints.map((c) => c.id)]);
}

/** Answers every webhook delivery 204, so that none is retried behind the cells. */
let receiver: http.Server;
let receiverUrl: string;

const CREATE_SUBSCRIPTION = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscription { id } } }`;

async function subscription(role: Role, events: string[]): Promise<string> {
  const token = await hub.token(role, HOLDER);
  const { data, errors } = await hub.query(CREATE_SUBSCRIPTION, { input: { agencyId: HOLDER, url: receiverUrl, events } }, token);
  if (errors) throw new Error(JSON.stringify(errors));
  return data.createWebhookSubscription.subscription.id;
}

/** A delivery of the subscription, once the complaints service's relay has reported a submission to it. */
async function firstDelivery(subscriptionId: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await hub.sql<{ id: string }>('webhooks', 'select id from webhooks.delivery where subscription_id = $1 limit 1', [subscriptionId]);
    if (row) return row.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no delivery was queued for the subscription');
}

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  receiver = http.createServer((request, response) => request.resume().on('end', () => response.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const subscriptionId = await subscription('AGENCY_ADMIN', ['COMPLAINT_SUBMITTED']);
  const inspectorateSubscriptionId = await subscription('INSPECTOR', ['COMPLAINT_ASSIGNED']);
  const named = await complaintIn('FORWARDED');
  const confidential = await complaintIn('FORWARDED', { confidential: true });
  const supervisory = await complaintIn('FORWARDED', { supervisory: true });
  await makeOverdue(named, confidential, supervisory);
  const elsewhere = await complaintIn('FORWARDED', { assignedTo: 'kemen-pu' });
  const supervisoryElsewhere = await complaintIn('FORWARDED', { assignedTo: 'kemen-pu', supervisory: true });
  fixtures = {
    unitId: await createUnit(hub, HOLDER, 'Dinas Perhubungan'),
    inspectorateId: await createUnit(hub, HOLDER, 'Inspektorat Daerah'),
    named,
    submitted: await complaintIn('SUBMITTED'),
    confidential,
    supervisory,
    anonymous: await complaintIn('FORWARDED', { anonymous: true }),
    outgoingEscalationId: await escalation(named.id, NODE_OF.parent, 'HIGHER_AUTHORITY'),
    incomingEscalationId: await escalation(elsewhere.id, HOLDER, 'NEEDS_COORDINATION'),
    supervisoryOutgoingEscalationId: await escalation(supervisory.id, NODE_OF.parent, 'HIGHER_AUTHORITY'),
    supervisoryIncomingEscalationId: await escalation(supervisoryElsewhere.id, HOLDER, 'NEEDS_COORDINATION'),
    subscriptionId,
    inspectorateSubscriptionId,
    deliveryId: await firstDelivery(subscriptionId),
  };
});
afterAll(async () => {
  await hub?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** What a cell saw: the errors, and the thing the cell asks about (null when it reads as absent). */
interface Observation {
  errors: GraphQLResponse['errors'];
  extensions: GraphQLResponse['extensions'];
  subject: unknown;
}
type Probe = (token: string | undefined) => Promise<Observation>;

/** Runs a document; by default the cell asks about the value of its one root field. */
async function observe(
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  subjectOf: (data: any) => unknown = (data) => (data ? Object.values(data)[0] : null),
): Promise<Observation> {
  const { data, errors, extensions } = await hub.query(query, variables, token);
  return { errors, extensions, subject: subjectOf(data) ?? null };
}

type Connection = { edges: { node: { id: string } }[] } | null | undefined;
const listed = (connection: Connection, id: string) => connection?.edges.find((edge) => edge.node.id === id)?.node ?? null;

const COMPLAINT = `query($id: ID!) { complaint(id: $id) { id } }`;
const BY_TRACKING_ID = `query($trackingId: String!) { complaintByTrackingId(trackingId: $trackingId) { id } }`;
const REPORTER = `query($id: ID!) { complaint(id: $id) { reporter { name } } }`;
const ASSIGNED = `query($id: ID!) { agency(id: $id) { assignedComplaints(overdue: true, first: 100) { edges { node { id } } } } }`;
// Every fixture is about the bridge; the mutation cells that add complaints run after these.
const PUBLIC_LISTING = `{ publicComplaints(search: "jembatan", first: 100) { edges { node { id } } } }`;
const SEARCH = `query($agencyId: ID) { searchComplaints(query: "jembatan", agencyId: $agencyId, first: 100) { edges { node { id } } } }`;
const WEBHOOKS = `query($id: ID!) { agency(id: $id) { webhookSubscriptions { id } } }`;
const PERIOD = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };

let unitsCreated = 0;

const MATRIX_NODE = {
  agencyId: HOLDER,
  namespace: 'bimaMatrix',
  url: 'http://127.0.0.1:9/graphql',
  sdl: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { bimaMatrixPing: String }',
};

/** The holder's node subgraph, registered (again) straight in the registry's table, for a removal to act on. */
async function registerMatrixNode(): Promise<void> {
  await hub.sql(
    'registry',
    `insert into registry.subgraph (name, kind, agency_id, url, sdl, version, published_at) values ($1, 'NODE', $2, $3, $4, 1, now())
     on conflict (name) do update set removed_at = null`,
    [MATRIX_NODE.namespace, MATRIX_NODE.agencyId, MATRIX_NODE.url, MATRIX_NODE.sdl],
  );
}

const PROBES: Record<Operation, Probe> = {
  'Query.agency': (token) => observe(token, `{ agency(id: "${HOLDER}") { id } }`),
  'Query.agencyByRegionCode': (token) => observe(token, `{ agencyByRegionCode(regionCode: "52.06") { id } }`),
  'Query.agencies': (token) => observe(token, `{ agencies(parentId: "${NODE_OF.parent}", first: 5) { totalCount } }`),
  'Query.categories': (token) => observe(token, `{ categories { id } }`),
  'Query.category': (token) => observe(token, `{ category(id: "HEALTH") { id } }`),
  'Query.collectiveLeaveDays': (token) => observe(token, `{ collectiveLeaveDays(year: 2026) { date } }`),
  'Query.complaint': (token) => observe(token, COMPLAINT, { id: fixtures.named.id }),
  'Query.complaint (submitted)': (token) => observe(token, COMPLAINT, { id: fixtures.submitted.id }),
  'Query.complaint (confidential)': (token) => observe(token, COMPLAINT, { id: fixtures.confidential.id }),
  'Query.complaint (supervisory)': (token) => observe(token, COMPLAINT, { id: fixtures.supervisory.id }),
  'Query.complaintByTrackingId': (token) => observe(token, BY_TRACKING_ID, { trackingId: fixtures.named.trackingId }),
  'Query.complaintByTrackingId (supervisory)': (token) => observe(token, BY_TRACKING_ID, { trackingId: fixtures.supervisory.trackingId }),
  'Query.complaintByTrackingId (supervisory, with the reporter token)': (token) =>
    observe(
      token,
      `query($trackingId: String!, $reporterToken: String) { complaintByTrackingId(trackingId: $trackingId, reporterToken: $reporterToken) { id title } }`,
      { trackingId: fixtures.supervisory.trackingId, reporterToken: fixtures.supervisory.reporterToken },
    ),
  // An anonymous complaint: its reporter sees even what every agency is denied.
  'Query.complaintByTrackingId (with the reporter token)': (token) =>
    observe(
      token,
      `query($trackingId: String!, $reporterToken: String) { complaintByTrackingId(trackingId: $trackingId, reporterToken: $reporterToken) { reporter { name } } }`,
      { trackingId: fixtures.anonymous.trackingId, reporterToken: fixtures.anonymous.reporterToken },
      (data) => data?.complaintByTrackingId?.reporter,
    ),
  'Query.publicComplaints': (token) => observe(token, PUBLIC_LISTING, {}, (data) => listed(data?.publicComplaints, fixtures.named.id)),
  'Query.publicComplaints (confidential)': (token) => observe(token, PUBLIC_LISTING, {}, (data) => listed(data?.publicComplaints, fixtures.confidential.id)),
  'Query.publicComplaints (supervisory)': (token) => observe(token, PUBLIC_LISTING, {}, (data) => listed(data?.publicComplaints, fixtures.supervisory.id)),
  'Query.searchComplaints': (token) => observe(token, SEARCH, { agencyId: HOLDER }, (data) => listed(data?.searchComplaints, fixtures.named.id)),
  'Query.searchComplaints (confidential)': (token) =>
    observe(token, SEARCH, { agencyId: HOLDER }, (data) => listed(data?.searchComplaints, fixtures.confidential.id)),
  'Query.searchComplaints (supervisory)': (token) =>
    observe(token, SEARCH, { agencyId: HOLDER }, (data) => listed(data?.searchComplaints, fixtures.supervisory.id)),
  'Query.nationalDashboard': (token) =>
    observe(token, `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) { stats { total } } }`, PERIOD),
  'Query.escalation': (token) => observe(token, `query($id: ID!) { escalation(id: $id) { id } }`, { id: fixtures.outgoingEscalationId }),
  'Query.escalation (supervisory)': (token) =>
    observe(token, `query($id: ID!) { escalation(id: $id) { id note } }`, { id: fixtures.supervisoryOutgoingEscalationId }),

  'Complaint.reporter': (token) => observe(token, REPORTER, { id: fixtures.named.id }, (data) => data?.complaint?.reporter),
  'Complaint.reporter (anonymous)': (token) => observe(token, REPORTER, { id: fixtures.anonymous.id }, (data) => data?.complaint?.reporter),
  'Complaint.possibleDuplicates': (token) =>
    observe(token, `query($id: ID!) { complaint(id: $id) { possibleDuplicates { similarity } } }`, { id: fixtures.named.id }, (data) => data?.complaint?.possibleDuplicates),
  'Complaint.escalations': (token) =>
    observe(token, `query($id: ID!) { complaint(id: $id) { escalations { id } } }`, { id: fixtures.named.id }, (data) =>
      data?.complaint?.escalations?.find((found: { id: string }) => found.id === fixtures.outgoingEscalationId),
    ),
  'Complaint.escalations (supervisory)': (token) =>
    observe(token, `query($id: ID!) { complaint(id: $id) { escalations { id note } } }`, { id: fixtures.supervisory.id }, (data) =>
      data?.complaint?.escalations?.find((found: { id: string }) => found.id === fixtures.supervisoryOutgoingEscalationId),
    ),
  // `title`, not only the key: the escalation subgraph knows the complaint's id without asking the complaints subgraph.
  'Escalation.complaint': (token) =>
    observe(token, `query($id: ID!) { escalation(id: $id) { complaint { id title } } }`, { id: fixtures.outgoingEscalationId }, (data) => data?.escalation?.complaint),

  'Agency.assignedComplaints': (token) =>
    observe(token, ASSIGNED, { id: HOLDER }, (data) => listed(data?.agency?.assignedComplaints, fixtures.named.id)),
  'Agency.assignedComplaints (confidential)': (token) =>
    observe(token, ASSIGNED, { id: HOLDER }, (data) => listed(data?.agency?.assignedComplaints, fixtures.confidential.id)),
  'Agency.assignedComplaints (supervisory)': (token) =>
    observe(token, ASSIGNED, { id: HOLDER }, (data) => listed(data?.agency?.assignedComplaints, fixtures.supervisory.id)),
  'Agency.addressedComplaints': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { addressedComplaints(overdue: true, first: 100) { edges { node { id } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.addressedComplaints, fixtures.named.id),
    ),
  'Agency.addressedComplaints (supervisory)': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { addressedComplaints(overdue: true, first: 100) { edges { node { id } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.addressedComplaints, fixtures.supervisory.id),
    ),
  'Agency.complaintStats': (token) =>
    observe(
      token,
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { agency(id: $id) { complaintStats(from: $from, to: $to) { total escalationsReceived } } }`,
      { id: HOLDER, ...PERIOD },
      (data) => data?.agency?.complaintStats,
    ),
  'Agency.incomingEscalations': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { incomingEscalations(first: 100) { edges { node { id } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.incomingEscalations, fixtures.incomingEscalationId),
    ),
  'Agency.incomingEscalations (supervisory)': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { incomingEscalations(first: 100) { edges { node { id note } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.incomingEscalations, fixtures.supervisoryIncomingEscalationId),
    ),
  'Agency.outgoingEscalations': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { outgoingEscalations(first: 100) { edges { node { id } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.outgoingEscalations, fixtures.outgoingEscalationId),
    ),
  'Agency.outgoingEscalations (supervisory)': (token) =>
    observe(token, `query($id: ID!) { agency(id: $id) { outgoingEscalations(first: 100) { edges { node { id note } } } } }`, { id: HOLDER }, (data) =>
      listed(data?.agency?.outgoingEscalations, fixtures.supervisoryOutgoingEscalationId),
    ),

  'Mutation.submitComplaint': (token) =>
    observe(token, `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`, {
      input: { type: 'COMPLAINT', title: 'Lampu jalan padam', body: 'Lampu jalan di Sape padam sejak seminggu.', channel: 'WEB', regionCode: '52.06' },
    }),
  'Mutation.replyToComplaint': async (token) => {
    const { trackingId, reporterToken } = await complaintIn('FOLLOWED_UP');
    return observe(token, `mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { id } } }`, {
      input: { trackingId, reporterToken, body: 'Terima kasih', satisfied: true },
    });
  },
  'Mutation.stopReporterNotifications': async (token) => {
    const { trackingId, reporterToken } = await complaintIn('SUBMITTED');
    return observe(token, `mutation($input: StopReporterNotificationsInput!) { stopReporterNotifications(input: $input) { stopped } }`, {
      input: { trackingId, reporterToken },
    });
  },
  'Mutation.supportComplaint': (token) =>
    observe(token, `mutation($input: SupportComplaintInput!) { supportComplaint(input: $input) { complaint { id } } }`, {
      input: { complaintId: fixtures.named.id, idempotencyKey: randomUUID() },
    }),
  'Mutation.markAsDuplicate': async (token) => {
    const { id, version } = await complaintIn('SUBMITTED');
    return observe(token, `mutation($input: MarkAsDuplicateInput!) { markAsDuplicate(input: $input) { complaint { version } } }`, {
      input: { complaintId: id, duplicateOfId: fixtures.named.id, version },
      });
    },
  'Query.nodeSubgraphs': (token) => observe(token, `{ nodeSubgraphs(first: 5) { totalCount } }`),
  'Query.supergraph': (token) => observe(token, `{ supergraph { version } }`),
  'Agency.subgraph': (token) => observe(token, `{ agency(id: "${HOLDER}") { subgraph { namespace } } }`),
  'Mutation.checkNodeSubgraph': (token) =>
    observe(token, `mutation($input: NodeSubgraphInput!) { checkNodeSubgraph(input: $input) { ok } }`, { input: MATRIX_NODE }),
  'Mutation.publishNodeSubgraph': (token) =>
    observe(token, `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ok } }`, { input: MATRIX_NODE }),
  'Mutation.removeNodeSubgraph': async (token) => {
    await registerMatrixNode();
    return observe(token, `mutation($input: RemoveNodeSubgraphInput!) { removeNodeSubgraph(input: $input) { namespace } }`, {
      input: { agencyId: MATRIX_NODE.agencyId, namespace: MATRIX_NODE.namespace },
    });
  },
  'Mutation.createAgencyUnit': (token) =>
    observe(token, `mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`, {
      input: { parentId: HOLDER, name: `Bidang Uji ${++unitsCreated}` },
    }),
  'Mutation.verifyComplaint': async (token) => {
    const { id, version } = await complaintIn('SUBMITTED');
    return observe(token, STEPS.VERIFIED, { input: { complaintId: id, version } });
  },
  'Mutation.rejectComplaint': async (token) => {
    const { id, version } = await complaintIn('SUBMITTED');
    return observe(token, `mutation($input: RejectComplaintInput!) { rejectComplaint(input: $input) { complaint { version } } }`, {
      input: { complaintId: id, version, reason: 'Tidak jelas' },
    });
  },
  'Mutation.forwardComplaint (to a unit of the node)': async (token) => {
    const { id, version } = await complaintIn('VERIFIED');
    return observe(token, STEPS.FORWARDED, { input: { complaintId: id, version, agencyId: fixtures.unitId } });
  },
  'Mutation.forwardComplaint (to a ministry)': async (token) => {
    const { id, version } = await complaintIn('VERIFIED');
    return observe(token, STEPS.FORWARDED, { input: { complaintId: id, version, agencyId: 'kemen-pu' } });
  },
  'Mutation.postFollowUp': async (token) => {
    const { id, version } = await complaintIn('FORWARDED');
    return observe(token, STEPS.FOLLOWED_UP, { input: { complaintId: id, version, body: 'Ditangani' } });
  },
  'Mutation.postFollowUp (supervisory)': async (token) => {
    const { id, version } = await complaintIn('FORWARDED', { supervisory: true });
    return observe(token, STEPS.FOLLOWED_UP, { input: { complaintId: id, version, body: 'Diperiksa Inspektorat' } });
  },
  // Far in the future, so that no deadline of another cell moves.
  'Mutation.addCollectiveLeaveDay': (token) =>
    observe(token, `mutation($input: AddCollectiveLeaveDayInput!) { addCollectiveLeaveDay(input: $input) { day { date } } }`, {
      input: { date: '2099-12-31', description: 'Uji' },
    }),
  // A day that is not in the table: removing it is still an answer (`removed: false`).
  'Mutation.removeCollectiveLeaveDay': (token) =>
    observe(token, `mutation($input: RemoveCollectiveLeaveDayInput!) { removeCollectiveLeaveDay(input: $input) { removed } }`, {
      input: { date: '2099-12-30' },
    }),
  'Mutation.escalateComplaint': async (token) => {
    const { id } = await complaintIn('FORWARDED');
    return observe(token, ESCALATE, { input: { complaintId: id, toAgencyId: NODE_OF.parent, reason: 'HIGHER_AUTHORITY' } });
  },
  'Mutation.escalateComplaint (supervisory)': async (token) => {
    const { id } = await complaintIn('FORWARDED', { supervisory: true });
    return observe(token, ESCALATE, { input: { complaintId: id, toAgencyId: NODE_OF.parent, reason: 'HIGHER_AUTHORITY' } });
  },
  'Mutation.respondToEscalation': async (token) => {
    const { id } = await complaintIn('FORWARDED', { assignedTo: 'kemen-pu' });
    // NEEDS_COORDINATION leaves the complaint where it is, so an acceptance starts no reassignment.
    const escalationId = await escalation(id, HOLDER, 'NEEDS_COORDINATION');
    return observe(token, RESPOND, { input: { escalationId, accept: true } });
  },
  'Mutation.respondToEscalation (supervisory)': async (token) => {
    const { id } = await complaintIn('FORWARDED');
    const escalationId = await escalation(id, fixtures.inspectorateId, 'SUPERVISORY');
    // Declined, so that no reassignment runs in the background of later cells.
    return observe(token, RESPOND, { input: { escalationId, accept: false } });
  },
  'Mutation.respondToEscalation (supervisory complaint)': async (token) => {
    const { id } = await complaintIn('FORWARDED', { assignedTo: 'kemen-pu', supervisory: true });
    // NEEDS_COORDINATION leaves the complaint where it is, so an acceptance starts no reassignment.
    const escalationId = await escalation(id, HOLDER, 'NEEDS_COORDINATION');
    return observe(token, RESPOND, { input: { escalationId, accept: true } });
  },

  'Agency.webhookSubscriptions': (token) =>
    observe(token, WEBHOOKS, { id: HOLDER }, (data) => data?.agency?.webhookSubscriptions.find((found: { id: string }) => found.id === fixtures.subscriptionId)),
  'Agency.webhookSubscriptions (inspectorate)': (token) =>
    observe(token, WEBHOOKS, { id: HOLDER }, (data) =>
      data?.agency?.webhookSubscriptions.find((found: { id: string }) => found.id === fixtures.inspectorateSubscriptionId),
    ),
  'Mutation.createWebhookSubscription': (token) =>
    observe(token, CREATE_SUBSCRIPTION, { input: { agencyId: HOLDER, url: receiverUrl, events: ['COMPLAINT_CLOSED'] } }),
  'Mutation.rotateWebhookSecret': (token) =>
    observe(token, `mutation($id: ID!) { rotateWebhookSecret(input: { subscriptionId: $id }) { secret } }`, { id: fixtures.subscriptionId }),
  'Mutation.deleteWebhookSubscription': async (token) => {
    const id = await subscription('AGENCY_ADMIN', ['COMPLAINT_CLOSED']);
    return observe(token, `mutation($id: ID!) { deleteWebhookSubscription(input: { subscriptionId: $id }) { subscriptionId } }`, { id });
  },
  'Mutation.redeliverWebhook': (token) =>
    observe(token, `mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id } } }`, { id: fixtures.deliveryId }),
};

/** A caller: a role on the node of a standing, or the public with no token at all. */
type Caller = { role: Role; standing: Standing } | 'public';

const CALLERS: Caller[] = ['public', ...ROLES.flatMap((role) => STANDINGS.map((standing) => ({ role, standing })))];

const describeCaller = (caller: Caller) => (caller === 'public' ? 'the public (no token)' : `${caller.role} of the ${caller.standing} node`);
const expectedFor = (row: Row, caller: Caller) => (caller === 'public' ? row.public : row[caller.role][caller.standing]);

const cells = (Object.entries(POLICY) as [Operation, Row][]).flatMap(([operation, row]) =>
  CALLERS.map((caller) => ({ operation, caller, who: describeCaller(caller), expected: expectedFor(row, caller) })),
);

describe('the access matrix', () => {
  it.each(cells)('$operation as $who: $expected', async ({ operation, caller, expected }) => {
    const token = caller === 'public' ? undefined : await hub.token(caller.role, caller.role === 'NATIONAL_ADMIN' ? NATIONAL_ID : NODE_OF[caller.standing]);
    const { errors, extensions, subject } = await PROBES[operation](token);
    // What the caller may not read is a clean null or a coded refusal, never the gateway's report
    // of a subgraph that left a non-null field without a value.
    expect(extensions?.valueCompletion).toBeUndefined();
    expect(errors?.map((error) => error.extensions?.code) ?? []).not.toContain('INVALID_GRAPHQL');
    if (expected === 'allow' || expected === 'hidden') {
      expect(errors).toBeUndefined();
      if (expected === 'allow') expect(subject).not.toBeNull();
      else expect(subject).toBeNull();
    } else {
      expect(errors?.map((error) => error.extensions?.code)).toEqual([expected]);
    }
  });
});

interface IntrospectedType {
  kind: string;
  name: string;
  fields: { name: string }[] | null;
}

/** The object types of the API schema as the gateway serves it: the supergraph without what is @inaccessible. */
async function apiObjectTypes(): Promise<IntrospectedType[]> {
  const { data, errors } = await hub.query<{ __schema: { types: IntrospectedType[] } }>(
    `{ __schema { types { kind name fields(includeDeprecated: true) { name } } } }`,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return data!.__schema.types.filter((type) => type.kind === 'OBJECT' && !type.name.startsWith('__'));
}

const ROOT_TYPES = new Set(['Query', 'Mutation']);
const coordinateOf = (operation: string) => operation.split(' ')[0];

describe('the policy table', () => {
  it('has a row for every Query and Mutation field', async () => {
    const rows = new Set(Object.keys(POLICY).map(coordinateOf));
    const roots = (await apiObjectTypes()).filter((type) => ROOT_TYPES.has(type.name));
    const missing = roots.flatMap((type) => type.fields!.map((field) => `${type.name}.${field.name}`)).filter((coordinate) => !rows.has(coordinate));
    expect(roots.map((type) => type.name).sort()).toEqual(['Mutation', 'Query']);
    expect(missing).toEqual([]);
  });

  it('classifies every field of every object type: a row of its own, or visible with its parent', async () => {
    const rows = new Set(Object.keys(POLICY).map(coordinateOf));
    const unclassified: string[] = [];
    const classifiedTwice: string[] = [];
    for (const type of await apiObjectTypes()) {
      if (ROOT_TYPES.has(type.name)) continue;
      for (const { name } of type.fields!) {
        const coordinate = `${type.name}.${name}`;
        const withParent = VISIBLE_WITH_PARENT[type.name]?.includes(name) ?? false;
        if (!withParent && !rows.has(coordinate)) unclassified.push(coordinate);
        if (withParent && rows.has(coordinate)) classifiedTwice.push(coordinate);
      }
    }
    expect(unclassified).toEqual([]);
    expect(classifiedTwice).toEqual([]);
  });

  it('names no field that the API schema lacks', async () => {
    const schema = new Set((await apiObjectTypes()).flatMap((type) => type.fields!.map((field) => `${type.name}.${field.name}`)));
    const classified = [
      ...Object.keys(POLICY).map(coordinateOf),
      ...Object.entries(VISIBLE_WITH_PARENT).flatMap(([type, fields]) => fields.map((field) => `${type}.${field}`)),
    ];
    expect(classified.filter((coordinate) => !schema.has(coordinate))).toEqual([]);
  });
});
