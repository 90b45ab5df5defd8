/** Setup: real nodes, complaints and an escalation, made through the API before the properties run. */
import { TestHub } from '../support/hub';
import { COMPLAINT, track } from './property';
import { NATIONAL_ID, PROVINCE, REGENCY, type FuzzWorld } from './world';

/** Starts the hub and gives the world what the properties pick from. */
export async function startWorld(world: FuzzWorld): Promise<void> {
  world.hub = await TestHub.start();
  const { hub, book } = world;
  const complaintIds = await hub.sql<{ id: string }>('complaints', 'select id from complaints.complaint');
  book.baseline.complaintIds = new Set(complaintIds.map((row) => row.id));
  const units = await hub.sql<{ id: string }>('agencies', `select id from agencies.agency where kind = 'UNIT'`);
  book.baseline.unitIds = new Set(units.map((row) => row.id));
  const [{ count }] = await hub.sql<{ count: number }>('escalation', 'select count(*)::int as count from escalation.escalation');
  book.baseline.escalations = count;
  const days = await hub.sql<{ date: string }>('complaints', `select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`);
  book.leaveDays = new Set(days.map((row) => row.date));
  book.categories = (await world.api('{ categories { id } }', {})).categories.map((category: { id: string }) => category.id);

  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  for (const name of ['Dinas Pekerjaan Umum', 'Inspektorat Daerah']) {
    const data = await world.api(`mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`, { input: { parentId: REGENCY, name } }, national);
    book.createdUnitIds.add(data.createAgencyUnit.agency.id);
  }
  [world.units.unit, world.units.inspectorate] = [...book.createdUnitIds];

  // Eight complaints: two SUBMITTED, two VERIFIED, three FORWARDED (one escalated), one FOLLOWED_UP.
  for (let i = 0; i < 8; i++) {
    const data = await world.api(
      `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { ${COMPLAINT} addressedAgency { id } } } }`,
      { input: { type: 'COMPLAINT', title: `Jembatan ambruk ${i}`, body: 'Jembatan gantung di Desa Sape ambruk.', channel: 'WEB', regionCode: '52.06' } },
    );
    const { complaint, reporterToken } = data.submitComplaint;
    book.complaints.set(complaint.id, { ...complaint, reporterToken, holder: complaint.addressedAgency.id });
  }
  const tracked = [...book.complaints.values()];
  for (const complaint of tracked.slice(2)) {
    const data = await world.api(`mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { ${COMPLAINT} } } }`, { input: { complaintId: complaint.id, version: complaint.version } }, national);
    track(world, data.verifyComplaint.complaint);
  }
  for (const complaint of tracked.slice(4)) {
    const data = await world.api(
      `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { ${COMPLAINT} assignedAgency { id } } } }`,
      { input: { complaintId: complaint.id, version: complaint.version, agencyId: REGENCY } },
      national,
    );
    track(world, data.forwardComplaint.complaint);
  }
  const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
  const last = tracked[7];
  const followedUp = await world.api(`mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { ${COMPLAINT} } } }`, { input: { complaintId: last.id, version: last.version, body: 'Sudah diperbaiki.' } }, liaison);
  track(world, followedUp.postFollowUp.complaint);
  const escalated = await world.api(
    `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id status reason toAgency { id } } } }`,
    { input: { complaintId: tracked[4].id, toAgencyId: PROVINCE, reason: 'HIGHER_AUTHORITY' } },
    liaison,
  );
  const escalation = escalated.escalateComplaint.escalation;
  book.escalations.set(escalation.id, { id: escalation.id, status: escalation.status, reason: escalation.reason, toAgencyId: escalation.toAgency.id });

  const firstPage = await world.api('{ agencies(first: 5) { pageInfo { endCursor } } }', {});
  book.agencyCursors.push(firstPage.agencies.pageInfo.endCursor);
  const inbox = await world.api(`{ agency(id: "${REGENCY}") { assignedComplaints(first: 1) { pageInfo { endCursor } } } }`, {}, national);
  book.complaintCursors.push(inbox.agency.assignedComplaints.pageInfo.endCursor);
}
