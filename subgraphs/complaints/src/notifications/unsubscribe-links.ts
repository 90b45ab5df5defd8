import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of a message's stop link: the complaint's tracking id (to find it) and an HMAC of the
 * complaint's id under the hub's link secret (to prove the hub wrote the link). Knowing a tracking
 * id, or holding the link of one's own complaint, does not make a link for another complaint. The
 * token cannot act as the reporter: it only stops messages.
 */
export function unsubscribeToken(trackingId: string, complaintId: string, secret: Uint8Array): string {
  return `${trackingId}.${signature(complaintId, secret)}`;
}

/** The tracking id a token names, or null for a token this hub cannot have written. */
export function trackingIdOfUnsubscribeToken(token: string): string | null {
  const match = /^(LPR-[0-9A-Z]{10})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? match[1] : null;
}

export function unsubscribeTokenMatches(token: string, complaintId: string, secret: Uint8Array): boolean {
  const given = Buffer.from(token.slice(token.indexOf('.') + 1));
  const expected = Buffer.from(signature(complaintId, secret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
}

const signature = (complaintId: string, secret: Uint8Array) =>
  createHmac('sha256', secret).update(`stop-reporter-notifications:${complaintId}`).digest('base64url');
