import { ForbiddenError, relationTo, requireOfficer, type NodeFacts, type Officer, type Role, type Viewer } from '@lapor-hub/lib';
import type { Escalation } from '../entities/escalation';

/**
 * Escalate: the liaison officer or admin of the node that holds the complaint, or the national
 * admin. A supervisory complaint is its Inspectorate's alone, as for every other step: the
 * officials it may concern must not move it out of the Inspectorate's hands.
 */
export function authorizeEscalation(viewer: Viewer, holder: NodeFacts | null, supervisory: boolean): Officer {
  const officer = requireOfficer(viewer);
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  const roles: Role[] = supervisory ? ['INSPECTOR'] : ['LIAISON_OFFICER', 'AGENCY_ADMIN'];
  if (roles.includes(officer.role) && relationTo(officer.agencyId, holder) === 'own') return officer;
  throw new ForbiddenError('Only the node that holds the complaint (its Inspectorate, for a supervisory one) or the national admin may escalate it');
}

/**
 * Which escalations a viewer may see at all, as a condition on `supervisory` (null: both, true:
 * supervisory only, false: none of them). Supervisory ones go to the Inspectorate (of a node at
 * either end, or of an ancestor that monitors it) and the national admin, never to the officials
 * they may concern; the Inspectorate sees nothing else. Hub services act on every escalation.
 */
export function supervisoryEscalationScope(viewer: Viewer): boolean | null {
  if (viewer.kind === 'service' || (viewer.kind === 'officer' && viewer.role === 'NATIONAL_ADMIN')) return null;
  return viewer.kind === 'officer' && viewer.role === 'INSPECTOR';
}

/**
 * Answer: the target node's admin or liaison officer, or the national admin. A supervisory
 * escalation (a supervisory complaint, or reason SUPERVISORY) only the target node's Inspectorate
 * answers.
 */
export function authorizeResponse(viewer: Viewer, escalation: Pick<Escalation, 'supervisory'>, target: NodeFacts | null): Officer {
  const officer = requireOfficer(viewer);
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  const roles: Role[] = escalation.supervisory ? ['INSPECTOR'] : ['AGENCY_ADMIN', 'LIAISON_OFFICER'];
  if (roles.includes(officer.role) && relationTo(officer.agencyId, target) === 'own') return officer;
  throw new ForbiddenError(
    escalation.supervisory
      ? 'Only the Inspectorate of the node the escalation is addressed to may answer it'
      : 'Only the node the escalation is addressed to may answer it',
  );
}

/**
 * Escalations are read by the nodes at either end, their ancestors, and the national admin; a
 * supervisory one only by the Inspectorate among them (and the national admin), who reads no other.
 * The dashboard role reads counts only (`ComplaintStats`), never escalations.
 */
export function canReadEscalation(viewer: Viewer, escalation: Pick<Escalation, 'supervisory'>, from: NodeFacts | null, to: NodeFacts | null): boolean {
  if (viewer.kind === 'service') return true;
  if (viewer.kind !== 'officer' || viewer.role === 'DASHBOARD') return false;
  if (viewer.role === 'NATIONAL_ADMIN') return true;
  const scope = supervisoryEscalationScope(viewer);
  if (scope !== null && escalation.supervisory !== scope) return false;
  return relationTo(viewer.agencyId, from) !== 'none' || relationTo(viewer.agencyId, to) !== 'none';
}

/** A node's escalation lists: its own officers, its ancestors', and the national admin. */
export function authorizeEscalationList(viewer: Viewer, node: NodeFacts | null): void {
  const officer = requireOfficer(viewer);
  if (officer.role === 'NATIONAL_ADMIN') return;
  if (officer.role === 'DASHBOARD') throw new ForbiddenError('This role sees statistics only');
  if (relationTo(officer.agencyId, node) === 'none') throw new ForbiddenError('Not the escalations of your node, its units or its children');
}
