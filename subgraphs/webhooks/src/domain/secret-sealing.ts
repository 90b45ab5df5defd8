import { hkdfSync } from 'node:crypto';
import { openBytes, sealBytes } from '@lapor-hub/lib';

/** `WEBHOOK_SECRET_KEY`, and the keys it replaced that rows may still be sealed under. */
export interface WebhookSecretKeys {
  current: Uint8Array;
  /** `WEBHOOK_SECRET_KEY_PREVIOUS`: opened, never sealed with; the service re-seals their rows at start. */
  previous: readonly Uint8Array[];
}

/** A subscription's signing secrets as stored: sealed under the key named by `keyId`. */
export interface SealedSecrets {
  keyId: string;
  current: Buffer;
  previous: Buffer | null;
}

interface Key {
  id: string;
  aes: Buffer;
}

function deriveKey(secret: Uint8Array): Key {
  return {
    // Named by what it is, so that no configuration has to say which id a key has.
    id: Buffer.from(hkdfSync('sha256', secret, 'lapor-hub', 'webhook-secret-key-id-v1', 8)).toString('hex'),
    aes: Buffer.from(hkdfSync('sha256', secret, 'lapor-hub', 'webhook-secret-v1', 32)),
  };
}

/**
 * Seals subscriptions' signing secrets with AES-256-GCM under a key derived from
 * `WEBHOOK_SECRET_KEY`, kept apart from the database: a dump of the database alone cannot sign a
 * message a receiver would accept. Each sealed value is bound to its subscription's id, so one
 * copied onto another row does not open. Rows name the key they are sealed under, so that the key
 * can be replaced: the old one, given as previous, still opens them until they are re-sealed.
 */
export class WebhookSecretKeyring {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(keys: WebhookSecretKeys) {
    this.current = deriveKey(keys.current);
    this.byId = new Map([this.current, ...keys.previous.map(deriveKey)].map((key) => [key.id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(subscriptionId: string, secrets: { current: string; previous: string | null }): SealedSecrets {
    const seal = (secret: string) => sealBytes(this.current.aes, subscriptionId, Buffer.from(secret, 'utf8'));
    return { keyId: this.current.id, current: seal(secrets.current), previous: secrets.previous === null ? null : seal(secrets.previous) };
  }

  /** Throws for a key it was not given (WEBHOOK_SECRET_KEY changed without the old one as previous) or a value tampered with. */
  open(subscriptionId: string, sealed: SealedSecrets): { current: string; previous: string | null } {
    const key = this.byId.get(sealed.keyId);
    if (!key) throw new Error(`a webhook signing secret is sealed under key ${sealed.keyId}, which is neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_KEY_PREVIOUS`);
    const open = (value: Buffer) => openBytes(key.aes, subscriptionId, value).toString('utf8');
    return { current: open(sealed.current), previous: sealed.previous === null ? null : open(sealed.previous) };
  }
}
