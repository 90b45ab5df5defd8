import { randomBytes, randomUUID } from 'node:crypto';
import { WebhookSecretKeyring } from '../src/domain/secret-sealing';

const key = () => new TextEncoder().encode(randomBytes(32).toString('base64url'));
const SECRETS = { current: `whsec_${randomBytes(32).toString('base64')}`, previous: `whsec_${randomBytes(32).toString('base64')}` };

describe('WebhookSecretKeyring', () => {
  it('opens what it sealed for the same subscription, and for no other', () => {
    const keyring = new WebhookSecretKeyring({ current: key(), previous: [] });
    const id = randomUUID();
    const sealed = keyring.seal(id, SECRETS);
    expect(sealed.keyId).toBe(keyring.currentKeyId);
    expect(sealed.current.includes(Buffer.from(SECRETS.current))).toBe(false);
    expect(keyring.open(id, sealed)).toEqual(SECRETS);
    expect(() => keyring.open(randomUUID(), sealed)).toThrow();
    expect(keyring.open(id, keyring.seal(id, { current: SECRETS.current, previous: null }))).toEqual({ current: SECRETS.current, previous: null });
  });

  it('opens what an older key sealed when given it as previous, and refuses a key it was not given', () => {
    const [old, fresh] = [key(), key()];
    const id = randomUUID();
    const sealed = new WebhookSecretKeyring({ current: old, previous: [] }).seal(id, SECRETS);
    const rotated = new WebhookSecretKeyring({ current: fresh, previous: [old] });
    expect(rotated.currentKeyId).not.toBe(sealed.keyId);
    expect(rotated.open(id, sealed)).toEqual(SECRETS);
    expect(() => new WebhookSecretKeyring({ current: fresh, previous: [] }).open(id, sealed)).toThrow(/neither WEBHOOK_SECRET_KEY nor in WEBHOOK_SECRET_KEY_PREVIOUS/);
  });

  it('rejects a sealed value that was tampered with', () => {
    const keyring = new WebhookSecretKeyring({ current: key(), previous: [] });
    const id = randomUUID();
    const sealed = keyring.seal(id, SECRETS);
    sealed.current[sealed.current.length - 1] ^= 1;
    expect(() => keyring.open(id, sealed)).toThrow();
  });
});
