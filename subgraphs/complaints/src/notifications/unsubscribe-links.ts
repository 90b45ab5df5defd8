import { createHmac, timingSafeEqual } from 'node:crypto';

/** Whose messages a stop link stops: the complaint's reporter (`supportId` null), or one of its supporters. */
export interface UnsubscribeTarget {
  trackingId: string;
  supportId: string | null;
}

/**
 * The token of a message's stop link: the complaint's tracking id (to find it), for a supporter's
 * message the support's id, and an HMAC of the complaint's id (and the support's) under the hub's
 * link secret (to prove the hub wrote the link). Knowing a tracking id, or holding the link of one's
 * own complaint or support, does not make a link for another complaint, nor a supporter's link
 * one for the reporter or another supporter. The token cannot act as anyone: it only stops messages.
 */
export function unsubscribeToken(trackingId: string, complaintId: string, secret: Uint8Array, supportId: string | null = null): string {
  return `${trackingId}.${supportId ? `${supportId}.` : ''}${signature(complaintId, supportId, secret)}`;
}

/** What a token names, or null for a token this hub cannot have written. */
export function parseUnsubscribeToken(token: string): UnsubscribeTarget | null {
  const match = /^(LPR-[0-9A-Z]{10})\.(?:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.)?[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { trackingId: match[1], supportId: match[2] ?? null } : null;
}

export function unsubscribeTokenMatches(token: string, complaintId: string, secret: Uint8Array): boolean {
  const target = parseUnsubscribeToken(token);
  if (!target) return false;
  const given = Buffer.from(token.slice(token.lastIndexOf('.') + 1));
  const expected = Buffer.from(signature(complaintId, target.supportId, secret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
}

const signature = (complaintId: string, supportId: string | null, secret: Uint8Array) =>
  createHmac('sha256', secret)
    .update(supportId ? `stop-supporter-notifications:${complaintId}:${supportId}` : `stop-reporter-notifications:${complaintId}`)
    .digest('base64url');
