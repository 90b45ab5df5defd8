import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import type { TestHub } from './hub';

/** The fields the lifecycle tests read after every step. */
export const COMPLAINT_FIELDS = `id trackingId status version overdue submittedAt verifyDueAt followUpDueAt closesAt
  closedBy disputeCount rejectionReason assignedAgency { id } addressedAgency { id }`;

export const MUTATIONS = {
  verify: `mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { ${COMPLAINT_FIELDS} } } }`,
  reject: `mutation($input: RejectComplaintInput!) { rejectComplaint(input: $input) { complaint { ${COMPLAINT_FIELDS} } } }`,
  forward: `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { ${COMPLAINT_FIELDS} } } }`,
  followUp: `mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { ${COMPLAINT_FIELDS} } } }`,
  reply: `mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { ${COMPLAINT_FIELDS} } } }`,
};

export interface Submitted {
  id: string;
  trackingId: string;
  reporterToken: string;
  version: number;
}

/** Files a complaint as a citizen would. */
export async function submit(hub: TestHub, overrides: Record<string, unknown> = {}): Promise<Submitted> {
  const { data, errors } = await hub.query(
    `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { id trackingId version } } }`,
    {
      input: {
        type: 'COMPLAINT',
        title: 'Jembatan desa ambruk',
        body: 'Jembatan gantung di Desa Sape ambruk dan belum diperbaiki.',
        channel: 'WEB',
        regionCode: '52.06',
        categoryId: 'INFRASTRUCTURE',
        reporter: { name: 'Ahmad' },
        ...overrides,
      },
    },
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return { ...data.submitComplaint.complaint, reporterToken: data.submitComplaint.reporterToken };
}

/** Creates a work unit under a node, as that node's admin. */
export async function createUnit(hub: TestHub, parentId: string, name: string): Promise<string> {
  const token = await hub.token('AGENCY_ADMIN', parentId);
  const { data, errors } = await hub.query(
    `mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`,
    { input: { parentId, name } },
    token,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return data.createAgencyUnit.agency.id;
}

/** The calendar as the hub uses it: national holidays plus the cuti bersama days it keeps. */
export async function hubCalendar(hub: TestHub): Promise<WorkingCalendar> {
  const days = await hub.query(`{ a: collectiveLeaveDays(year: 2026) { date } b: collectiveLeaveDays(year: 2027) { date } }`);
  return new WorkingCalendar([...days.data.a, ...days.data.b].map((day: { date: string }) => day.date));
}
