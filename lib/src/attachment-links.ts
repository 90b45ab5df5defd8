import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed attachment link lets its holder download, until `expiresAt` (seconds since the epoch). */
export interface AttachmentLink {
  /** SHA-256 (hex) of the stored bytes: the storage is content-addressed. */
  sha256: string;
  contentType: string;
  /** The name the download is saved under. */
  filename: string;
  expiresAt: number;
}

/** How long a link made for a reader works: minutes, so that a copied link soon stops working. */
export const ATTACHMENT_LINK_LIFETIME_SECONDS = 10 * 60;

const SHA256_HEX = /^[0-9a-f]{64}$/;

// Every signed field, newline-separated: none of them can hold a newline (checked before signing).
function signature(link: AttachmentLink, secret: Uint8Array): string {
  return createHmac('sha256', secret).update(['v1', link.sha256, link.contentType, link.filename, String(link.expiresAt)].join('\n')).digest('base64url');
}

/**
 * The path and query of a gateway link (`/attachments/<sha256>?type=…&name=…&expires=…&sig=…`)
 * signed with `ATTACHMENT_URL_SECRET`. The gateway keeps no record of who may read what: whoever
 * may read the complaint is given a link, and the link alone is checked.
 */
export function signAttachmentLink(link: AttachmentLink, secret: Uint8Array): string {
  if (!SHA256_HEX.test(link.sha256)) throw new Error('An attachment link names its bytes by their SHA-256');
  if (/[\r\n]/.test(link.contentType + link.filename)) throw new Error('An attachment link cannot carry a line break');
  const query = new URLSearchParams({ type: link.contentType, name: link.filename, expires: String(link.expiresAt), sig: signature(link, secret) });
  return `/attachments/${link.sha256}?${query}`;
}

/** Why a link is refused: `forged` (not signed by us, or altered) or `expired`. */
export type AttachmentLinkCheck = { ok: true; link: AttachmentLink } | { ok: false; reason: 'forged' | 'expired' };

/** Checks a link's signature and expiry (`now` in seconds since the epoch). */
export function verifyAttachmentLink(
  sha256: string,
  query: Record<string, unknown>,
  secret: Uint8Array,
  now = Math.floor(Date.now() / 1000),
): AttachmentLinkCheck {
  const { type, name, expires, sig } = query;
  if (!SHA256_HEX.test(sha256) || typeof type !== 'string' || typeof name !== 'string' || typeof sig !== 'string' || typeof expires !== 'string' || !/^\d{1,12}$/.test(expires)) {
    return { ok: false, reason: 'forged' };
  }
  const link = { sha256, contentType: type, filename: name, expiresAt: Number(expires) };
  const expected = Buffer.from(signature(link, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (link.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, link };
}
