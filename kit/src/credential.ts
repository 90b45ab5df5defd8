import { createHash, KeyObject, verify as verifySignature, type webcrypto } from 'node:crypto';
import { createRemoteJWKSet, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** The header that carries the hub gateway's credential on every fetch to a subgraph. */
export const HUB_CREDENTIAL_HEADER = 'x-lapor-gateway-credential';

/** The `iss` of every credential the hub gateway signs. */
export const GATEWAY_ISSUER = 'lapor-hub-gateway';

/** The longest a credential may live (`exp - iat`), in seconds. */
export const CREDENTIAL_MAX_LIFETIME_SECONDS = 60;

/** The one algorithm a credential may be signed with: a token naming any other (`none`, HS256 with a public key) is refused. */
export const CREDENTIAL_ALGORITHM = 'EdDSA';

/** How far the signer's clock may run ahead of ours for `iat`; `exp` gets no grace. */
const CLOCK_SKEW_SECONDS = 5;

/** Who the hub says is asking: a signed-in officer (or agency system), or `null` for the public. */
export interface HubViewer {
  sub: string;
  role: string;
  agencyId: string;
}

/** `bodySha256`: what a credential is bound to, the exact bytes of the one request it travels with. */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * Remembers the one-time ids (`jti`) of the credentials accepted, until each expires: `claim`
 * answers false for an id seen before. A subgraph with replicas shares one (a database table), so
 * a credential replayed against another replica is refused too.
 */
export interface ReplayGuard {
  claim(jti: string, expiresAtSeconds: number): boolean | Promise<boolean>;
}

/**
 * The ids one process has accepted. The insertion order is the expiry order (every credential
 * lives as long), so pruning reads from the front.
 */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly expiresAtById = new Map<string, number>();

  claim(jti: string, expiresAtSeconds: number, nowSeconds = Date.now() / 1000): boolean {
    for (const [seenId, expiresAt] of this.expiresAtById) {
      if (expiresAt > nowSeconds) break;
      this.expiresAtById.delete(seenId);
    }
    if (this.expiresAtById.has(jti)) return false;
    this.expiresAtById.set(jti, expiresAtSeconds);
    return true;
  }

  get size(): number {
    return this.expiresAtById.size;
  }
}

/**
 * A credential refused, for whatever reason: the caller learns none (no detail on which check
 * failed), and a subgraph server answers it with HTTP 401 UNAUTHENTICATED.
 */
export class CredentialRefusedError extends Error {
  constructor() {
    super('This service only answers the LAPOR! Hub gateway');
  }
}

/** `keys`, refusing any credential whose header names no `kid` (no key is tried on a guess). */
export function requireKeyId(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (typeof header.kid !== 'string' || header.kid === '') throw new CredentialRefusedError();
    return keys(header, token);
  };
}

/**
 * The hub gateway's public keys, read from its JWKS (`https://<hub>/.well-known/jwks.json`) and
 * cached; a credential signed with a key not seen yet (the gateway rotated) makes it read them again.
 */
export function hubGatewayKeys(jwksUrl: string | URL): JWTVerifyGetKey {
  return requireKeyId(createRemoteJWKSet(new URL(jwksUrl)));
}

export interface CredentialCheck {
  keys: JWTVerifyGetKey;
  issuer: string;
  /** This subgraph's own name (a node's: its namespace); a credential for any other is refused. */
  audience: string;
  /** The exact bytes of the request body the credential arrived with. */
  body: string | Uint8Array;
  replayGuard: ReplayGuard;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A JSON object from one base64url part of a compact JWS, or null. */
function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies one credential and returns its claims: signed with EdDSA by one of `keys` (a `kid`
 * required), from `issuer`, for exactly this `audience` (one name, not a list), unexpired and
 * living at most 60 s, bound to this very body, and never seen before. Anything else throws
 * `CredentialRefusedError`, alike.
 *
 * The compact JWS is checked here rather than by jose's `jwtVerify`, which checks the signature on
 * libuv's thread pool (`promisify(crypto.verify)`): handing one Ed25519 check of a few dozen
 * microseconds to a thread and back cost more CPU than the check, on every request of every
 * subgraph. The rules are jose's, narrowed to the one algorithm: no `crit` (so no `b64: false`),
 * the key chosen by `keys` from the header, `nbf` honoured.
 */
export async function verifyCredential(credential: string | undefined, check: CredentialCheck): Promise<JWTPayload> {
  if (!credential) throw new CredentialRefusedError();
  const parts = credential.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new CredentialRefusedError();
  const [protectedPart, payloadPart, signaturePart] = parts;
  const header = decodePart(protectedPart);
  const payload = decodePart(payloadPart) as JWTPayload | null;
  if (!header || !payload || header.alg !== CREDENTIAL_ALGORITHM || 'crit' in header || 'b64' in header) throw new CredentialRefusedError();
  let valid: boolean;
  try {
    const found = await check.keys(header as JWTHeaderParameters, { payload: payloadPart, signature: signaturePart, protected: protectedPart });
    const key = found instanceof KeyObject ? found : KeyObject.from(found as webcrypto.CryptoKey);
    // The algorithm is the key's: only an Ed25519 public key may check an EdDSA signature here.
    if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') throw new CredentialRefusedError();
    valid = verifySignature(null, Buffer.from(`${protectedPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'));
  } catch {
    throw new CredentialRefusedError();
  }
  if (!valid) throw new CredentialRefusedError();
  const { iss, aud, exp, iat, nbf, jti, bodySha256: digest } = payload as JWTPayload & { bodySha256?: unknown };
  const now = Date.now() / 1000;
  // One audience, exactly ours: a list that includes ours must not open several subgraphs.
  if (iss !== check.issuer || aud !== check.audience) throw new CredentialRefusedError();
  if (typeof exp !== 'number' || typeof iat !== 'number' || (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + CLOCK_SKEW_SECONDS))) {
    throw new CredentialRefusedError();
  }
  if (exp <= now || exp - iat > CREDENTIAL_MAX_LIFETIME_SECONDS || iat > now + CLOCK_SKEW_SECONDS) throw new CredentialRefusedError();
  if (typeof jti !== 'string' || jti === '' || typeof digest !== 'string' || digest !== bodySha256(check.body)) throw new CredentialRefusedError();
  if (!(await check.replayGuard.claim(jti, exp))) throw new CredentialRefusedError();
  return payload;
}

/**
 * What a node's subgraph does with every request: verifies the hub gateway's credential (against
 * the gateway's public keys, for the node's namespace) and returns the viewer it names, `null` for
 * the public.
 */
export async function verifyHubCredential(
  credential: string | undefined,
  check: Omit<CredentialCheck, 'issuer'>,
): Promise<HubViewer | null> {
  const { viewer } = await verifyCredential(credential, { ...check, issuer: GATEWAY_ISSUER });
  if (viewer === null) return null;
  if (!isHubViewer(viewer)) throw new CredentialRefusedError();
  return { sub: viewer.sub, role: viewer.role, agencyId: viewer.agencyId };
}

function isHubViewer(value: unknown): value is HubViewer {
  if (typeof value !== 'object' || value === null) return false;
  const { sub, role, agencyId } = value as Record<string, unknown>;
  return [sub, role, agencyId].every((part) => typeof part === 'string' && part !== '');
}
