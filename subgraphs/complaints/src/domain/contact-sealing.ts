import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Who reported, as the reporter gave it; every part optional. */
export interface ReporterContactDetails {
  name: string | null;
  email: string | null;
  phone: string | null;
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under a 32-byte key, with `boundTo` authenticated alongside: the result is the format
 * version, the IV, the tag and the ciphertext.
 */
export function sealBytes(key: Buffer, boundTo: string, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), sealed]);
}

/** Opens what `sealBytes` sealed under the same key and binding; throws on anything else. */
export function openBytes(key: Buffer, boundTo: string, sealed: Buffer): Buffer {
  if (sealed[0] !== FORMAT_VERSION) throw new Error(`unknown sealed format ${sealed[0]}`);
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/**
 * Seals contact details with AES-256-GCM, under a key derived from `REPORTER_CONTACT_KEY`. That
 * secret is kept apart from the database, so a dump of the database alone does not say who
 * reported; losing it loses every contact. The complaint's id is authenticated with them, so a sealed
 * contact copied onto another complaint's row does not open.
 */
export class ContactSeal {
  private readonly key: Buffer;

  constructor(secret: Uint8Array) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'lapor-hub', 'reporter-contact-v1', 32));
  }

  seal(complaintId: string, details: ReporterContactDetails): Buffer {
    return sealBytes(this.key, complaintId, Buffer.from(JSON.stringify([details.name, details.email, details.phone]), 'utf8'));
  }

  open(complaintId: string, sealed: Buffer): ReporterContactDetails {
    const [name, email, phone] = JSON.parse(openBytes(this.key, complaintId, sealed).toString('utf8')) as [string | null, string | null, string | null];
    return { name, email, phone };
  }
}
