import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a tracking id read out over the phone is not misheard.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A public tracking id, `LPR-` and 10 random base32 characters (50 bits). */
export function newTrackingId(): string {
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += CROCKFORD[byte & 31];
  return `LPR-${id}`;
}

/**
 * The reporter's secret for a complaint: an HMAC of its id under a server secret. It can be
 * recomputed to answer a retried submission, yet the database holds only its hash.
 */
export function reporterTokenFor(complaintId: string, secret: Uint8Array): string {
  return createHmac('sha256', secret).update(`reporter-token:${complaintId}`).digest('base64url');
}

export function hashReporterToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function reporterTokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashReporterToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
