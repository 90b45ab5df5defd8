import { hkdfSync } from 'node:crypto';
import { openBytes, sealBytes } from '@lapor-hub/lib';

/** Who reported, as the reporter gave it; every part optional. */
export interface ReporterContactDetails {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** What a supporter's contact is sealed bound to: their support, never the complaint (whose reporter's contact that binding opens). */
export const supportSealBinding = (supportId: string) => `support:${supportId}`;

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
