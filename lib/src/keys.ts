import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { bodySha256, CREDENTIAL_ALGORITHM, CREDENTIAL_MAX_LIFETIME_SECONDS, CredentialRefusedError, requireKeyId } from '@lapor-hub/node-kit';
import { z } from 'zod';

/** A private Ed25519 key as a JWK (RFC 8037), with the `kid` its credentials name. */
export const signingJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().min(1).max(100),
});
export type SigningJwk = z.output<typeof signingJwkSchema>;

/**
 * A signer's keys: `current` signs; `next`, when set, is published (and verified) before it is
 * used, so that every verifier knows it by the time the signer switches to it.
 */
export interface SigningKeys {
  current: SigningJwk;
  next?: SigningJwk;
}

/** A public key as published: the private member `d` is never copied into one. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof CREDENTIAL_ALGORITHM;
  use: 'sig';
}

export interface PublicJwks {
  keys: PublicJwk[];
}

/** A new key pair; its `kid` is its RFC 7638 thumbprint, so two keys never share an id. */
export function generateSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { x, d } = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, d, kid };
}

/** `jwk`'s private key, after checking that its public half `x` is the one `d` makes (else every credential would be refused). */
function privateKeyOf(jwk: SigningJwk, name: string): KeyObject {
  const key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
  if ((createPublicKey(key).export({ format: 'jwk' }) as { x?: string }).x !== jwk.x) throw new Error(`${name}: its "x" is not the public key of its "d"`);
  return key;
}

/** Checks a configured pair (each key sound, two different ids); throws naming `name`. */
export function checkSigningKeys(keys: SigningKeys, name: string): SigningKeys {
  privateKeyOf(keys.current, name);
  if (keys.next) {
    privateKeyOf(keys.next, `${name}_NEXT`);
    if (keys.next.kid === keys.current.kid) throw new Error(`${name}_NEXT must have another kid than ${name}`);
  }
  return keys;
}

/** The public halves of `keys`, current first, as a JWKS. */
export function publicJwks(keys: SigningKeys): PublicJwks {
  return {
    keys: [keys.current, ...(keys.next ? [keys.next] : [])].map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid, alg: CREDENTIAL_ALGORITHM, use: 'sig' })),
  };
}

/** A verifier's key lookup over published keys, by `kid` alone: a credential naming none, or an unknown one, is refused. */
export function localVerificationKeys(jwks: PublicJwks): JWTVerifyGetKey {
  const byId = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' })]));
  return requireKeyId((header) => {
    const key = byId.get(header.kid!);
    if (!key) throw new CredentialRefusedError();
    return key;
  });
}

/** Signs one credential: `claims` plus `iss`, `aud`, a fresh `jti`, `iat`, `exp` and `bodySha256`. */
export type CredentialSigner = (audience: string, claims: JWTPayload, body: string | Uint8Array) => Promise<string>;

/**
 * Signs credentials as `issuer` with the current key (EdDSA, its `kid` in the header), each for
 * one audience and one body, living 60 seconds. A compact JWS made here rather than by jose's
 * `SignJWT`: the gateway signs one per subgraph fetch, and jose's asynchronous signing (a thread
 * pool job per credential, the header encoded again each time) was its largest cost per request
 * in a profile of the federated inbox; an Ed25519 signature takes microseconds inline.
 */
export function credentialSigner(keys: SigningKeys, issuer: string): CredentialSigner {
  const key = privateKeyOf(keys.current, issuer);
  const header = base64urlJson({ alg: CREDENTIAL_ALGORITHM, kid: keys.current.kid });
  return async (audience, claims, body) => {
    const iat = Math.floor(Date.now() / 1000);
    const payload = base64urlJson({
      ...claims,
      bodySha256: bodySha256(body),
      iss: issuer,
      aud: audience,
      jti: randomUUID(),
      iat,
      exp: iat + CREDENTIAL_MAX_LIFETIME_SECONDS,
    });
    const signingInput = `${header}.${payload}`;
    return `${signingInput}.${sign(null, Buffer.from(signingInput), key).toString('base64url')}`;
  };
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
