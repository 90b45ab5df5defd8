import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { openBytes, sealBytes } from '@lapor-hub/lib';

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
 * A reporter's secret: 32 random bytes (base64url). It is shown once, in the submission's answer;
 * the database keeps its hash, from which no key, leaked or not, recomputes it.
 */
export function newReporterToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The key that seals a token for a retried submission: derived from the client's idempotency key
 * (which the hub never derives itself) and the complaint's id, so that only a client that still
 * holds the key can have its token back.
 */
function replayKey(idempotencyKey: string, complaintId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, complaintId, 'lapor-hub-reporter-token-replay-v1', 32));
}

export function sealForReplay(token: string, idempotencyKey: string, complaintId: string): Buffer {
  return sealBytes(replayKey(idempotencyKey, complaintId), complaintId, Buffer.from(token, 'utf8'));
}

/** The token a retry with `idempotencyKey` recovers; null when the seal does not open with it. */
export function openForReplay(sealed: Buffer, idempotencyKey: string, complaintId: string): string | null {
  try {
    return openBytes(replayKey(idempotencyKey, complaintId), complaintId, sealed).toString('utf8');
  } catch {
    return null;
  }
}

export function hashReporterToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function reporterTokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashReporterToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
