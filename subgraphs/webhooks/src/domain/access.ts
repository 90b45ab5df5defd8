import { ForbiddenError, homeNodeId, relationTo, requireOfficer, type NodeFacts, type Officer, type Viewer } from '@lapor-hub/lib';
import type { WebhookSubscription } from '../entities/subscription';

/**
 * Whom a subscription stands for, and so what it receives. The complaints subgraph's access rules
 * give a supervisory complaint to the Inspectorate
 * (INSPECTOR) alone, and the Inspectorate nothing else: a subscription made by an INSPECTOR
 * receives its node's supervisory complaints' events and only those; one made by the node's admin
 * (or for the node by the national admin) stands for the node's other officers and never receives
 * a supervisory complaint's event. A node's officers read what concerns their node (or one of its
 * units) as their own, and what concerns the nodes below as its monitors: a subscription receives
 * the first, and the second too when it includes descendants (`eventAudience`). Which events
 * reach which subscription is decided in one SQL statement on these terms
 * (`DeliveryRepository.recordEvents`).
 */
export interface Audience {
  officer: Officer;
  inspectorate: boolean;
}

const MANAGEMENT_REFUSAL = "Only the node's admin (its Inspectorate, for its own subscriptions) or the national admin manages its webhooks";

/**
 * Subscribe a node: its admin (for the node or one of its units), its Inspectorate (for its
 * supervisory complaints), or the national admin for any node. Anyone else is refused.
 */
export function authorizeSubscribing(viewer: Viewer, node: NodeFacts): Audience {
  const officer = requireOfficer(viewer, 'Webhooks need an officer token');
  if (officer.role === 'NATIONAL_ADMIN') return { officer, inspectorate: false };
  if ((officer.role === 'AGENCY_ADMIN' || officer.role === 'INSPECTOR') && relationTo(officer.agencyId, node) === 'own') {
    return { officer, inspectorate: officer.role === 'INSPECTOR' };
  }
  throw new ForbiddenError(MANAGEMENT_REFUSAL);
}

/**
 * Read or change an existing subscription: the national admin any; the node's admin those that
 * stand for its officers; its Inspectorate its own.
 */
export function canManageSubscription(viewer: Viewer, subscription: Pick<WebhookSubscription, 'inspectorate'>, node: NodeFacts | null): boolean {
  if (viewer.kind !== 'officer') return false;
  if (viewer.role === 'NATIONAL_ADMIN') return true;
  const role = subscription.inspectorate ? 'INSPECTOR' : 'AGENCY_ADMIN';
  return viewer.role === role && relationTo(viewer.agencyId, node) === 'own';
}

export function authorizeSubscriptionChange(viewer: Viewer, subscription: Pick<WebhookSubscription, 'inspectorate'>, node: NodeFacts | null): Officer {
  const officer = requireOfficer(viewer, 'Webhooks need an officer token');
  if (!canManageSubscription(officer, subscription, node)) throw new ForbiddenError(MANAGEMENT_REFUSAL);
  return officer;
}

/** Which of a node's subscriptions a viewer's list of them holds: null both kinds, else only that kind. */
export function subscriptionListScope(viewer: Viewer, node: NodeFacts | null): { inspectorate: boolean | null } {
  const officer = requireOfficer(viewer, 'Webhooks need an officer token');
  if (officer.role === 'NATIONAL_ADMIN') return { inspectorate: null };
  if ((officer.role === 'AGENCY_ADMIN' || officer.role === 'INSPECTOR') && relationTo(officer.agencyId, node) === 'own') {
    return { inspectorate: officer.role === 'INSPECTOR' };
  }
  throw new ForbiddenError(MANAGEMENT_REFUSAL);
}

/** Whose subscriptions may receive an event, as `relationTo` has the nodes' officers stand to it. */
export interface EventAudience {
  /** The nodes the event concerns and, for a unit, the node it belongs to: theirs to read as their own. */
  agencyIds: string[];
  /** Every node above those: read as their monitors, by subscriptions that include descendants. */
  ancestorIds: string[];
}

/**
 * The audience of an event from the nodes it concerns (`HubEventInput.agencyIds`, the producer's
 * judgement) as the directory knows them; a node the directory does not know reaches itself only.
 */
export function eventAudience(concerned: readonly string[], facts: ReadonlyMap<string, NodeFacts | null>): EventAudience {
  const own = new Set<string>();
  const above = new Set<string>();
  for (const id of concerned) {
    const node = facts.get(id) ?? null;
    own.add(id);
    if (!node) continue;
    own.add(homeNodeId(node));
    for (const ancestor of node.ancestorIds) above.add(ancestor);
  }
  return { agencyIds: [...own], ancestorIds: [...above].filter((id) => !own.has(id)) };
}

/** The hub services that report events: the subgraphs that cause them. */
const EVENT_PRODUCERS = new Set(['complaints', 'escalation']);

/** `recordHubEvents` is `@inaccessible`: only a producing hub service calls it, straight on the subgraph. */
export function authorizeEventProducer(viewer: Viewer): void {
  if (viewer.kind !== 'service' || !EVENT_PRODUCERS.has(viewer.name)) throw new ForbiddenError('Only the hub services report events');
}
