/** The GraphQL requests the benchmark sends. */

/** An agency admin's inbox: a page of 50 with the holder's names and the escalations (agencies → complaints → agencies ∥ escalation). */
export const INBOX_QUERY = `query Inbox($id: ID!) { agency(id: $id) { assignedComplaints(first: 50) { totalCount edges { node {
  id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { name parent { name } } escalations { id reason status } } } } } }`;

export const pagedInboxQuery = (first: number) => INBOX_QUERY.replace('first: 50', `first: ${first}`);

export const DASHBOARD_QUERY = `query Dashboard($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
  stats { total forwarded closed completionRate closedByReporter closedBySystem overdue { verification followUp } disputed disputes
          medianWorkingDaysToFollowUp byStatus { status count } escalationsReceived overdueEscalationResponses }
  provinces { rank forwarded closed completionRate agency { id name } }
  regenciesAndCities { rank forwarded closed completionRate agency { id name } }
  ministries { rank forwarded closed completionRate agency { id name } } } }`;

export const SUBMIT_MUTATION = `mutation Submit($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
  reporterToken complaint { id trackingId status verifyDueAt addressedAgency { name } } } }`;

/** A search as an officer of the nation sees it: a page of 20 best matches with their count. */
export const SEARCH_QUERY = `query Search($query: String!) { searchComplaints(query: $query, first: 20) { totalCount edges { node {
  id trackingId title status submittedAt } } } }`;

/** What citizens type into the search box: common words, stems, a phrase, typos. */
export const SEARCH_TERMS = [
  'jalan rusak',
  'jalannya berlubang',
  'jembtan',
  'puskesmas',
  'pelayanan kesehatan',
  '"makan bergizi"',
  'gaji di bawah UMK',
  'banjir',
  'sampah menumpuk',
  'pungutan liar',
  'lampu jalan padam',
  'kesehtan',
];
