/** The GraphQL requests the benchmark sends. */

/** An agency admin's inbox: a page of 50 with the holder's names and the escalations (agencies → complaints → agencies ∥ escalation). */
export const INBOX_QUERY = `query Inbox($id: ID!) { agency(id: $id) { assignedComplaints(first: 50) { totalCount edges { node {
  id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { name parent { name } } escalations { id reason status } } } } } }`;

/** The inbox query's complaints part, as the gateway sends it to the complaints subgraph. */
export const DIRECT_INBOX_QUERY = `query Inbox($representations: [_Any!]!) { _entities(representations: $representations) { ... on Agency {
  assignedComplaints(first: 50) { totalCount edges { node { id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { id } } } } } } }`;

export const pagedInboxQuery = (first: number) => INBOX_QUERY.replace('first: 50', `first: ${first}`);

export const DASHBOARD_QUERY = `query Dashboard($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
  stats { total forwarded closed completionRate closedByReporter closedBySystem overdue { verification followUp } disputed disputes
          medianWorkingDaysToFollowUp byStatus { status count } escalationsReceived overdueEscalationResponses }
  provinces { rank forwarded closed completionRate agency { id name } }
  regenciesAndCities { rank forwarded closed completionRate agency { id name } }
  ministries { rank forwarded closed completionRate agency { id name } } } }`;

export const SUBMIT_MUTATION = `mutation Submit($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
  reporterToken complaint { id trackingId status verifyDueAt addressedAgency { name } } } }`;
