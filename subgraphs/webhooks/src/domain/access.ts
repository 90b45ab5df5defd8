import { ForbiddenError, relationTo, requireOfficer, type NodeFacts, type Officer, type Viewer } from '@lapor-hub/lib';
import type { WebhookSubscription } from '../entities/subscription';

/**
 * Whom a subscription stands for, and so what it receives. The complaints subgraph's access rules
 * give a supervisory complaint to the Inspectorate
 * (INSPECTOR) alone, and the Inspectorate nothing else: a subscription made by an INSPECTOR
 * receives its node's supervisory complaints' events and only those; one made by the node's admin
 * (or for the node by the national admin) stands for the node's other officers and never receives
 * a supervisory complaint's event. Which events reach which subscription is decided in one SQL
 * statement on these terms (`DeliveryRepository.recordEvents`).
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

/** The hub services that report events: the subgraphs that cause them. */
const EVENT_PRODUCERS = new Set(['complaints', 'escalation']);

/** `recordHubEvents` is `@inaccessible`: only a producing hub service calls it, straight on the subgraph. */
export function authorizeEventProducer(viewer: Viewer): void {
  if (viewer.kind !== 'service' || !EVENT_PRODUCERS.has(viewer.name)) throw new ForbiddenError('Only the hub services report events');
}
