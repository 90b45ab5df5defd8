import type { Viewer } from '@lapor-hub/lib';
import type { Complaint } from '../entities/complaint';

/**
 * Who may see what of a complaint. The public sees non-confidential complaints; a reporter who
 * proved their token sees their own; agency roles see complaints (node scoping arrives with the
 * lifecycle), except DASHBOARD, which sees statistics only.
 */
export function canReadComplaint(viewer: Viewer, complaint: Complaint, isReporter: boolean): boolean {
  if (isReporter) return true;
  switch (viewer.kind) {
    case 'public':
      return !complaint.confidential;
    case 'officer':
      return viewer.role !== 'DASHBOARD';
    case 'service':
      return false;
  }
}

/** Whether a complaint list must leave confidential complaints out for this viewer. */
export function listsPublicOnly(viewer: Viewer): boolean {
  return viewer.kind !== 'officer';
}

export function canListComplaints(viewer: Viewer): boolean {
  return !(viewer.kind === 'officer' && viewer.role === 'DASHBOARD') && viewer.kind !== 'service';
}

/**
 * The reporter's identity: always to the reporter themself; never to anyone for an anonymous
 * complaint; otherwise to the national admin and the officers of the addressed or assigned node.
 */
export function canReadReporter(viewer: Viewer, complaint: Complaint, isReporter: boolean): boolean {
  if (isReporter) return true;
  if (complaint.anonymous || viewer.kind !== 'officer') return false;
  if (viewer.role === 'NATIONAL_ADMIN') return true;
  if (viewer.role === 'DASHBOARD') return false;
  return viewer.agencyId === complaint.addressedAgencyId || viewer.agencyId === complaint.assignedAgencyId;
}
