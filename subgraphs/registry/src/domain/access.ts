import { ForbiddenError, requireOfficer, type Officer, type Viewer } from '@lapor-hub/lib';
import type { Subgraph } from '../entities/subgraph';

/**
 * Who may check, publish or remove a node's subgraph: the national admin for any node, the node's
 * own admin for its node. A caller without a token must authenticate; everyone else is refused.
 */
export function authorizeSubgraphChange(viewer: Viewer, agencyId: string): Officer {
  const officer = requireOfficer(viewer, 'Changing a node subgraph needs an officer token');
  if (officer.role === 'NATIONAL_ADMIN') return officer;
  if (officer.role === 'AGENCY_ADMIN' && officer.agencyId === agencyId) return officer;
  throw new ForbiddenError('Only the national admin or the node’s admin changes its subgraph');
}

/** A namespace already registered to another node is that node's: nobody publishes or removes it for this one. */
export function authorizeNamespace(agencyId: string, existing: Subgraph | null): void {
  if (existing?.kind === 'NODE' && existing.agencyId !== agencyId) {
    throw new ForbiddenError(`The namespace ${existing.name} belongs to another node`);
  }
}

/** The registry's listings (subgraph URLs, the composition) are for officers, and for the gateways that serve them. */
export function authorizeRegistryRead(viewer: Viewer): void {
  if (isGateway(viewer)) return;
  requireOfficer(viewer, 'The registry is for officers');
}

function isGateway(viewer: Viewer): boolean {
  return viewer.kind === 'service' && viewer.name === 'gateway';
}

/** What only the gateways ask for (the supergraph SDL) or tell (a rejected version). */
export function authorizeGateway(viewer: Viewer): void {
  if (!isGateway(viewer)) throw new ForbiddenError('For the hub’s gateways only');
}
