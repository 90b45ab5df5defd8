import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ForbiddenError, RequestUnauthenticatedError, UnauthenticatedError } from './errors';

export const ROLES = [
  'NATIONAL_ADMIN',
  'AGENCY_ADMIN',
  'LIAISON_OFFICER',
  'INSPECTOR',
  'AGENCY_SYSTEM',
  'DASHBOARD',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as verified by the gateway. Citizens and the public carry no token. */
export type Viewer =
  | { kind: 'public' }
  | { kind: 'officer'; sub: string; role: Role; agencyId: string }
  /** One hub service calling another (e.g. complaints asking agencies for the directory). */
  | { kind: 'service'; name: string };

/** A viewer who presented an officer's or an agency system's token. */
export type Officer = Extract<Viewer, { kind: 'officer' }>;

/** The officer behind a request: the public must sign in first; a hub service is no officer. */
export function requireOfficer(viewer: Viewer, message = 'This operation needs an officer token'): Officer {
  if (viewer.kind === 'officer') return viewer;
  if (viewer.kind === 'public') throw new UnauthenticatedError(message);
  throw new ForbiddenError();
}

/** Header that carries the gateway-signed viewer from the gateway to the subgraphs. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-lapor-gateway-credential';

const GATEWAY_ISSUER = 'lapor-hub-gateway';
const SUBGRAPH_AUDIENCE = 'lapor-hub-subgraphs';
const GATEWAY_CREDENTIAL_TTL = '60s';

export interface AuthSecrets {
  /** HS256 secret of the tokens that agency systems and officers present to the gateway. */
  jwtSecret: Uint8Array;
  /** When set, user tokens are RS256 and verified against this JWKS instead of `jwtSecret`. */
  jwksUrl?: string;
  /** Secret shared by the gateway and the subgraphs only; it never leaves the hub. */
  gatewaySecret: Uint8Array;
}

/** What a hub service holds: the gateway secret, to verify the gateway's credentials and sign its own calls. */
export type ServiceSecrets = Pick<AuthSecrets, 'gatewaySecret'>;

const officerClaims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  agencyId: z.string().min(1),
});

export interface OfficerToken {
  sub: string;
  role: Role;
  agencyId: string;
}

/** Issues a user token (HS256), as an identity provider would; used by `npm run token` and tests. */
export async function signUserToken(claims: OfficerToken, secret: Uint8Array, expiresIn = '8h'): Promise<string> {
  return new SignJWT({ role: claims.role, agencyId: claims.agencyId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret);
}

const jwksCache = new Map<string, JWTVerifyGetKey>();

/** What a user token must satisfy beyond its signature. */
export interface TokenPolicy {
  /** Longest lifetime of an officer's token, in seconds: `exp - iat`, or `exp - now` without `iat`. */
  maxOfficerLifetimeSeconds: number;
  /** Longest lifetime of an `AGENCY_SYSTEM` machine token (an SMS gateway, an agency's system), in seconds. */
  maxSystemLifetimeSeconds: number;
  /** When set, the `iss` every token must carry. */
  issuer?: string;
  /** When set, an `aud` every token must include. */
  audience?: string;
}

/** Officers sign in for a working day; machine tokens are rotated monthly. */
export const DEFAULT_TOKEN_POLICY: TokenPolicy = { maxOfficerLifetimeSeconds: 12 * 3600, maxSystemLifetimeSeconds: 30 * 86400 };

/** How far the issuer's clock may run ahead of ours: `iat` and `nbf` up to this far in the future pass. */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

const timeClaims = z.object({ exp: z.number(), iat: z.number().optional() });

/**
 * Verifies a caller's bearer token; any failure is `UNAUTHENTICATED` without detail on why. Beyond
 * the signature: `exp` is required and the lifetime capped (a stolen token must not work forever),
 * `iat`/`nbf` may not lie in the future, and `iss`/`aud` must match when the policy names them.
 */
export async function verifyUserToken(token: string, secrets: AuthSecrets, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): Promise<Viewer> {
  try {
    const options = {
      issuer: policy.issuer,
      audience: policy.audience,
      requiredClaims: ['exp'],
      clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
    };
    let payload: unknown;
    if (secrets.jwksUrl) {
      let keys = jwksCache.get(secrets.jwksUrl);
      if (!keys) {
        keys = createRemoteJWKSet(new URL(secrets.jwksUrl));
        jwksCache.set(secrets.jwksUrl, keys);
      }
      ({ payload } = await jwtVerify(token, keys, { ...options, algorithms: ['RS256'] }));
    } else {
      ({ payload } = await jwtVerify(token, secrets.jwtSecret, { ...options, algorithms: ['HS256'] }));
    }
    const claims = officerClaims.parse(payload);
    const { exp, iat } = timeClaims.parse(payload);
    const now = Math.floor(Date.now() / 1000);
    // jose applies its tolerance to `exp` as well; an expired token gets no grace here.
    if (exp <= now) throw new Error('expired');
    if (iat !== undefined && iat > now + TOKEN_CLOCK_SKEW_SECONDS) throw new Error('issued in the future');
    const maxLifetime = claims.role === 'AGENCY_SYSTEM' ? policy.maxSystemLifetimeSeconds : policy.maxOfficerLifetimeSeconds;
    if (exp - (iat ?? now) > maxLifetime) throw new Error('lives too long');
    return { kind: 'officer', ...claims };
  } catch {
    throw new RequestUnauthenticatedError('Invalid or expired token');
  }
}

/** Reads `Authorization: Bearer <jwt>`; no header means a public (citizen) caller. */
export async function viewerFromAuthorization(header: string | undefined, secrets: AuthSecrets, policy?: TokenPolicy): Promise<Viewer> {
  if (!header) return { kind: 'public' };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new RequestUnauthenticatedError('Authorization must be "Bearer <token>"');
  return verifyUserToken(match[1], secrets, policy);
}

const viewerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('public') }),
  z.object({ kind: z.literal('officer'), sub: z.string(), role: z.enum(ROLES), agencyId: z.string() }),
  z.object({ kind: z.literal('service'), name: z.string() }),
]);

/** What a gateway credential is bound to: the exact bytes of the one subgraph request it travels with. */
export function requestBodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * The credential the gateway (or a hub service) attaches to one subgraph request. It names the
 * viewer, is bound to the request's body by its digest and carries a one-time id, so a credential
 * read off the wire can neither be replayed nor carry a different operation.
 */
export async function signGatewayCredential(viewer: Viewer, secret: Uint8Array, body: string | Uint8Array): Promise<string> {
  return new SignJWT({ viewer, bodyDigest: requestBodyDigest(body) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(SUBGRAPH_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(GATEWAY_CREDENTIAL_TTL)
    .sign(secret);
}

/**
 * Signs the credential of one request to one subgraph: `audience` is the subgraph's name (a node's
 * namespace). The gateway owns the one implementation (`gateway/src/credentials.ts`); the registry
 * is handed it to ask a node's URL for its SDL as the gateway would.
 */
export type SubgraphCredentialSigner = (audience: string, viewer: Viewer, body: string | Uint8Array) => Promise<string>;

/**
 * The one-time ids a subgraph process has accepted, each kept until its credential expires. The
 * insertion order is the expiry order (every credential lives as long), so pruning reads from the front.
 */
export class CredentialReplayGuard {
  private readonly expiresAtById = new Map<string, number>();

  /** Whether `id` is new (and records it); false when it was already used. */
  claim(id: string, expiresAtSeconds: number, nowSeconds = Date.now() / 1000): boolean {
    for (const [seenId, expiresAt] of this.expiresAtById) {
      if (expiresAt > nowSeconds) break;
      this.expiresAtById.delete(seenId);
    }
    if (this.expiresAtById.has(id)) return false;
    this.expiresAtById.set(id, expiresAtSeconds);
    return true;
  }

  get size(): number {
    return this.expiresAtById.size;
  }
}

const credentialClaims = z.object({ viewer: z.unknown(), bodyDigest: z.string(), jti: z.string().min(1), exp: z.number() });

/**
 * A subgraph's check that a request came through the gateway: signed with the gateway secret,
 * unexpired, bound to this very body, and not seen before. Anything else is refused alike.
 */
export async function verifyGatewayCredential(
  credential: string | undefined,
  secret: Uint8Array,
  request: { body: string | Uint8Array; replayGuard: CredentialReplayGuard },
): Promise<Viewer> {
  // Built only when refusing: an error captures a stack trace, which every accepted request would pay for.
  const refused = () => new RequestUnauthenticatedError('This service only answers the LAPOR! Hub gateway');
  if (!credential) throw refused();
  let claims: z.infer<typeof credentialClaims>;
  let viewer: Viewer;
  try {
    const { payload } = await jwtVerify(credential, secret, {
      algorithms: ['HS256'],
      issuer: GATEWAY_ISSUER,
      audience: SUBGRAPH_AUDIENCE,
    });
    claims = credentialClaims.parse(payload);
    viewer = viewerSchema.parse(claims.viewer);
  } catch {
    throw refused();
  }
  if (claims.bodyDigest !== requestBodyDigest(request.body)) throw refused();
  if (!request.replayGuard.claim(claims.jti, claims.exp)) throw refused();
  return viewer;
}
