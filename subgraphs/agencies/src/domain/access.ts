import { ForbiddenError, requireOfficer, type Officer, type Viewer } from '@lapor-hub/lib';

/**
 * Who may create a unit under a node: the national admin under any node, and a node's own admin
 * under that node. A caller without a token must authenticate; everyone else is refused.
 */
export function authorizeUnitCreation(viewer: Viewer, parentId: string): Officer {
  const officer = requireOfficer(viewer, 'Creating a unit needs an officer token');
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  if (officer.role === 'AGENCY_ADMIN' && officer.agencyId === parentId) return officer;
  throw new ForbiddenError('Only the national admin or the node’s admin creates its units');
}
