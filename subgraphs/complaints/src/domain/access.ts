import { ForbiddenError, relationTo, requireOfficer, UnauthenticatedError, type NodeFacts, type Officer, type Role, type Viewer } from '@lapor-hub/lib';
import type { Complaint } from '../entities/complaint';

/** The nodes a complaint is tied to, as the directory knows them. */
export interface ComplaintNodes {
  addressed: NodeFacts | null;
  assigned: NodeFacts | null;
}

/** Whether a complaint is supervisory: all that the rules of acting on it look at besides its nodes. */
type Supervision = Pick<Complaint, 'supervisory'>;

/**
 * Supervisory complaints (abuse of authority by officials) are the Inspectorate's alone; the
 * Inspectorate sees nothing else. The national admin sees both.
 */
function matchesSupervision(officer: Officer, complaint: Supervision): boolean {
  if (officer.role === 'NATIONAL_ADMIN') return true;
  return complaint.supervisory === (officer.role === 'INSPECTOR');
}

/**
 * A complaint anyone may read, as the public does: neither confidential nor supervisory. A
 * supervisory complaint is never public, whatever its confidential flag: it is about officials,
 * who knew its id and tracking id from when they held it.
 */
export function isPublicComplaint(complaint: Pick<Complaint, 'confidential' | 'supervisory'>): boolean {
  return !complaint.confidential && !complaint.supervisory;
}

/**
 * Whether a viewer may read a complaint. Anyone may read a public one (an officer of any node at
 * least as the public does); the reporter (proved by token) always may; so may a hub service (e.g.
 * the escalation service), authenticated by the gateway secret that never leaves the hub, which
 * reads complaints to act on them. The reporter's identity stays out of a service's reach
 * (`canReadReporter`).
 */
export function canReadComplaint(viewer: Viewer, complaint: Pick<Complaint, 'confidential' | 'supervisory'>, nodes: ComplaintNodes, isReporter: boolean): boolean {
  if (isReporter || isPublicComplaint(complaint)) return true;
  if (viewer.kind === 'public') return false;
  if (viewer.kind === 'service') return true;
  if (viewer.role === 'NATIONAL_ADMIN') return true;
  if (viewer.role === 'DASHBOARD' || !matchesSupervision(viewer, complaint)) return false;
  const assigned = relationTo(viewer.agencyId, nodes.assigned);
  const addressed = relationTo(viewer.agencyId, nodes.addressed);
  if (assigned !== 'none') return true;
  // Admins verify what is addressed to them; every role of a parent node monitors its children.
  return viewer.role === 'AGENCY_ADMIN' ? addressed !== 'none' : addressed === 'ancestor';
}

/**
 * The reporter's identity: to the reporter; never to anyone for an anonymous complaint; else to
 * the national admin and to the officers who act on it (not to parent nodes that only monitor).
 * Never to a hub service: none of them needs it to do its work.
 */
export function canReadReporter(viewer: Viewer, complaint: Pick<Complaint, 'anonymous' | 'supervisory'>, nodes: ComplaintNodes, isReporter: boolean): boolean {
  if (isReporter) return true;
  if (complaint.anonymous || viewer.kind !== 'officer' || viewer.role === 'DASHBOARD') return false;
  if (viewer.role === 'NATIONAL_ADMIN') return true;
  if (!matchesSupervision(viewer, complaint)) return false;
  if (relationTo(viewer.agencyId, nodes.assigned) === 'own') return true;
  return viewer.role === 'AGENCY_ADMIN' && relationTo(viewer.agencyId, nodes.addressed) === 'own';
}

/** Which of a node's complaints a viewer's list of them may contain, or a refusal. */
export interface ListScope {
  /** Leave confidential complaints out. */
  publicOnly: boolean;
  /** null: both; true: supervisory only; false: none of them. */
  supervisory: boolean | null;
}

export function listScope(viewer: Viewer, node: NodeFacts | null, relation: 'assigned' | 'addressed'): ListScope {
  // The public lists public complaints only (`isPublicComplaint`): neither confidential nor supervisory.
  if (viewer.kind === 'public') return { publicOnly: true, supervisory: false };
  if (viewer.kind === 'service') throw new ForbiddenError();
  if (viewer.role === 'NATIONAL_ADMIN') return { publicOnly: false, supervisory: null };
  if (viewer.role === 'DASHBOARD') throw new ForbiddenError('This role sees statistics only');
  const standing = relationTo(viewer.agencyId, node);
  const allowed = relation === 'assigned' || viewer.role === 'AGENCY_ADMIN' ? standing !== 'none' : standing === 'ancestor';
  if (!allowed) throw new ForbiddenError('Not a complaint list of your node, its units or its children');
  return { publicOnly: false, supervisory: viewer.role === 'INSPECTOR' };
}

/** Verify or reject: the national admin, or the admin of the node it is addressed or assigned to. */
export function authorizeScreening(viewer: Viewer, complaint: Supervision, nodes: ComplaintNodes): Officer {
  const officer = requireOfficer(viewer);
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  if (
    officer.role === 'AGENCY_ADMIN' &&
    matchesSupervision(officer, complaint) &&
    (relationTo(officer.agencyId, nodes.addressed) === 'own' || relationTo(officer.agencyId, nodes.assigned) === 'own')
  ) {
    return officer;
  }
  throw new ForbiddenError('Only the national admin or the admin of the addressed node may do this');
}

/**
 * Forward: the national admin to any node (no wrong door); a node's admin, for what is addressed
 * or assigned to its node, to the node itself or to one of its units.
 */
export function authorizeForward(viewer: Viewer, complaint: Supervision, nodes: ComplaintNodes, target: NodeFacts): Officer {
  const officer = authorizeScreening(viewer, complaint, nodes);
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  if (relationTo(officer.agencyId, target) !== 'own') {
    throw new ForbiddenError('A node admin forwards only to its own node or its units');
  }
  return officer;
}

const FOLLOW_UP_ROLES: readonly Role[] = ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'AGENCY_SYSTEM', 'INSPECTOR'];

/** Follow up: the assigned node (or its unit) through its admin, liaison officer, system or Inspectorate. */
export function authorizeFollowUp(viewer: Viewer, complaint: Supervision, nodes: ComplaintNodes): Officer {
  const officer = requireOfficer(viewer);
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  if (
    FOLLOW_UP_ROLES.includes(officer.role) &&
    matchesSupervision(officer, complaint) &&
    relationTo(officer.agencyId, nodes.assigned) === 'own'
  ) {
    return officer;
  }
  throw new ForbiddenError('Only the node the complaint is assigned to may follow it up');
}

/**
 * Operations that only hub services call, straight on the subgraph (they are `@inaccessible`, so the
 * gateway does not even know them): anyone else, officer or public, is refused.
 */
export function authorizeHubService(viewer: Viewer, service: string): Extract<Viewer, { kind: 'service' }> {
  if (viewer.kind !== 'service' || viewer.name !== service) throw new ForbiddenError(`Only the ${service} service may do this`);
  return viewer;
}

/** Editing the working-day calendar is the national admin's. */
export function authorizeCalendarEdit(viewer: Viewer): Officer {
  const officer = requireOfficer(viewer);
  if (officer.role !== 'NATIONAL_ADMIN') throw new ForbiddenError('Only the national admin edits the calendar');
  return officer;
}

/** The roles that see every node's figures and the national dashboard. */
const NATIONAL_FIGURES_ROLES: readonly Role[] = ['NATIONAL_ADMIN', 'DASHBOARD'];

/** Statistics: the national roles for any node; a node's officers for their node and the nodes below. */
export function authorizeStats(viewer: Viewer, node: NodeFacts | null): Officer {
  const officer = requireOfficer(viewer, 'Statistics need an officer or dashboard token');
  if (NATIONAL_FIGURES_ROLES.includes(officer.role)) return officer;
  if (relationTo(officer.agencyId, node) === 'none') throw new ForbiddenError('Statistics of your node, its units or its children only');
  return officer;
}

/** The national dashboard: the national admin and dashboard clients. */
export function authorizeNationalDashboard(viewer: Viewer): Officer {
  if (viewer.kind === 'public') throw new UnauthenticatedError('The dashboard needs a national admin or dashboard token');
  if (viewer.kind !== 'officer' || !NATIONAL_FIGURES_ROLES.includes(viewer.role)) {
    throw new ForbiddenError('The national dashboard is for the national admin and dashboard clients');
  }
  return viewer;
}

/**
 * Which complaints a search or the public listing may return, as conditions a repository writes
 * in SQL. It follows where a complaint is held (as the inbox does): of what `canReadComplaint`
 * lets an officer read, it leaves out a complaint addressed to the officer's subtree but held
 * elsewhere. Every row found is also checked with `canReadComplaint`.
 */
export interface ReadScope {
  /** Only what the public reads in a listing: neither confidential nor supervisory. */
  publicOnly: boolean;
  /** Only complaints held by this node or below it (its units, its children); null: anywhere. */
  heldWithin: string | null;
  /** The officer's own node: held by it or below it; null for the public and the national admin. */
  officerNode: string | null;
  /** Only supervisory complaints (true), none of them (false), or both (null). */
  supervisory: boolean | null;
  /**
   * A complaint not yet forwarded is read by the admin of the node it is addressed to, and by the
   * nodes above it; the other roles of that node wait until it is forwarded to them.
   */
  unforwardedFromAboveOnly: boolean;
}

/** The public listing: to everyone alike, whatever their token. */
export const PUBLIC_LISTING: ReadScope = { publicOnly: true, heldWithin: null, officerNode: null, supervisory: false, unforwardedFromAboveOnly: false };

/**
 * What `searchComplaints` searches for a viewer, within `node` (the `agencyId` asked for, else,
 * for an officer, their own node): the public searches the public listing; an officer, a node of
 * their subtree (else FORBIDDEN) as their role reads it; the national admin, anything.
 */
export function searchScope(viewer: Viewer, node: NodeFacts | null, agencyId: string | null): ReadScope {
  if (viewer.kind === 'public') return { ...PUBLIC_LISTING, heldWithin: agencyId };
  if (viewer.kind === 'service') throw new ForbiddenError();
  if (viewer.role === 'NATIONAL_ADMIN') return { publicOnly: false, heldWithin: agencyId, officerNode: null, supervisory: null, unforwardedFromAboveOnly: false };
  if (viewer.role === 'DASHBOARD') throw new ForbiddenError('This role sees statistics only');
  if (relationTo(viewer.agencyId, node) === 'none') throw new ForbiddenError('Search within your node, its units or its children');
  return {
    publicOnly: false,
    heldWithin: node!.id,
    officerNode: viewer.agencyId,
    supervisory: viewer.role === 'INSPECTOR',
    unforwardedFromAboveOnly: viewer.role !== 'AGENCY_ADMIN',
  };
}
