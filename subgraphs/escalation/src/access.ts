import type { Viewer } from '@lapor-hub/lib';

/**
 * Whether a viewer may read escalations at all: officers of any role but DASHBOARD (which sees
 * aggregates only) and hub services may; the public may not.
 *
 * Node scoping (an officer reads only the escalations from or to the nodes they serve) arrives with
 * the escalation workflow.
 */
export function canReadEscalations(viewer: Viewer): boolean {
  switch (viewer.kind) {
    case 'officer':
      return viewer.role !== 'DASHBOARD';
    case 'service':
      return true;
    default:
      return false;
  }
}
