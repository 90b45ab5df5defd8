import { BadUserInputError, ConflictError, homeNodeId, type NodeFacts } from '@lapor-hub/lib';
import type { EscalationReason } from '../entities/escalation';

/** Every reason but NEEDS_COORDINATION asks the target to take the complaint over. */
export function movesComplaint(reason: EscalationReason): boolean {
  return reason !== 'NEEDS_COORDINATION';
}

/** Where each reason may send a complaint, from the node that holds it. */
export function checkTarget(reason: EscalationReason, holder: NodeFacts, target: NodeFacts): void {
  const home = homeNodeId(holder);
  if (target.id === holder.id || target.id === home) throw new ConflictError('The complaint is already with that node');
  const wrongTarget = (why: string) => new BadUserInputError(`input.toAgencyId ${why}`, 'input.toAgencyId');
  switch (reason) {
    case 'SLA_BREACH':
      throw new BadUserInputError('input.reason SLA_BREACH is made by the hub’s deadline sweep only', 'input.reason');
    case 'HIGHER_AUTHORITY': {
      const parentOfHome = holder.kind === 'UNIT' ? holder.ancestorIds[1] : holder.parentId;
      if (target.id !== parentOfHome) throw wrongTarget('must be the parent node for HIGHER_AUTHORITY');
      return;
    }
    case 'SUPERVISORY':
      if (target.kind !== 'UNIT' || target.parentId !== home) throw wrongTarget('must be a unit (the Inspectorate) of the node for SUPERVISORY');
      return;
    default:
      if (target.kind === 'UNIT' && target.parentId === home) throw wrongTarget('is inside the node: forward the complaint instead');
  }
}

/**
 * Where the sweep sends a complaint whose follow-up deadline passed: a regency or city (or its
 * unit) to its province, anything else to the national node. Null for the national node itself.
 */
export function slaBreachTarget(holder: NodeFacts): string | null {
  const homeAncestors = holder.kind === 'UNIT' ? holder.ancestorIds.slice(1) : holder.ancestorIds;
  if (homeAncestors.length === 0) return null;
  // Regencies and cities are the only nodes two levels down, under their province.
  return homeAncestors.length === 2 ? homeAncestors[0] : homeAncestors[homeAncestors.length - 1];
}

