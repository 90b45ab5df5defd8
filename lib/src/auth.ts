import { SignJWT, createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  CredentialRefusedError,
  HUB_CREDENTIAL_HEADER,
  hubGatewayKeys,
  verifyCredential,
  verifyHubCredential,
  type HubViewer,
  type ReplayGuard,
} from '@lapor-hub/node-kit';
import { z } from 'zod';
import { credentialSigner, localVerificationKeys, publicJwks, type PublicJwks, type SigningKeys } from './keys';
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

/** Header that carries the credential from the gateway (or a hub service) to a subgraph. */
export const GATEWAY_CREDENTIAL_HEADER = HUB_CREDENTIAL_HEADER;

/** The `iss` of the credentials one hub service signs for a call to another; never in the gateway's JWKS. */
export const SERVICE_ISSUER = 'lapor-hub-service';

export interface AuthSecrets {
  /** HS256 secret of the tokens that agency systems and officers present to the gateway. */
  jwtSecret: Uint8Array;
  /** When set, user tokens are RS256 and verified against this JWKS instead of `jwtSecret`. */
  jwksUrl?: string;
  /** The gateway's key pair(s): sign every fetch's credential; their public halves are its JWKS. */
  gatewayKeys: SigningKeys;
  /** The hub services' key pair(s), for the calls the gateway makes as a hub service (`ServiceClient`). */
  serviceKeys: SigningKeys;
}

/** Where a hub subgraph finds the gateway's public keys: the gateway's JWKS URL, or the keys themselves. */
export type GatewayPublicKeys = { jwksUrl: string } | { jwks: PublicJwks };

/**
 * What a hub service holds: the hub services' own key pair (to sign its calls to the others and
 * verify theirs) and the gateway's public keys (to verify the gateway's credentials). Never the
 * gateway's private key: a subgraph cannot speak for the gateway.
 */
export interface ServiceSecrets {
  serviceKeys: SigningKeys;
  gatewayPublicKeys: GatewayPublicKeys;
}

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

/** A verified user token: who it names and when it expires (`exp`, in seconds). */
export interface VerifiedUserToken {
  viewer: Officer;
  expiresAt: number;
}

/**
 * Verifies a caller's bearer token; any failure is `UNAUTHENTICATED` without detail on why. Beyond
 * the signature: `exp` is required and the lifetime capped (a stolen token must not work forever),
 * `iat`/`nbf` may not lie in the future, and `iss`/`aud` must match when the policy names them.
 * Of these checks only `exp` can turn a token that passed into one that fails as time goes on.
 */
export async function verifyUserTokenClaims(token: string, secrets: AuthSecrets, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): Promise<VerifiedUserToken> {
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
    return { viewer: { kind: 'officer', ...claims }, expiresAt: exp };
  } catch {
    throw new RequestUnauthenticatedError('Invalid or expired token');
  }
}

/** `verifyUserTokenClaims`'s viewer. */
export async function verifyUserToken(token: string, secrets: AuthSecrets, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): Promise<Viewer> {
  return (await verifyUserTokenClaims(token, secrets, policy)).viewer;
}

/** The token of `Authorization: Bearer <jwt>`, or null without the header (a public caller); any other header is refused. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new RequestUnauthenticatedError('Authorization must be "Bearer <token>"');
  return match[1];
}

/** Reads `Authorization: Bearer <jwt>`; no header means a public (citizen) caller. */
export async function viewerFromAuthorization(header: string | undefined, secrets: AuthSecrets, policy?: TokenPolicy): Promise<Viewer> {
  const token = bearerToken(header);
  return token === null ? { kind: 'public' } : verifyUserToken(token, secrets, policy);
}

/** Who a gateway credential may name: an officer or the public. Only a service credential names a hub service. */
export type GatewayViewer = Exclude<Viewer, { kind: 'service' }>;

/**
 * Signs the credential of one request to one subgraph: `audience` is the subgraph's name (a node's
 * namespace). The gateway owns the one implementation (`gateway/src/credentials.ts`); the registry
 * is handed it to ask a node's URL for its SDL as the gateway would.
 */
export type SubgraphCredentialSigner = (audience: string, viewer: GatewayViewer, body: string | Uint8Array) => Promise<string>;

/** The `viewer` claim of a gateway credential (DESIGN.md): `{ sub role agencyId }`, or null for the public. */
export function viewerClaim(viewer: GatewayViewer): HubViewer | null {
  return viewer.kind === 'officer' ? { sub: viewer.sub, role: viewer.role, agencyId: viewer.agencyId } : null;
}

/** Signs, as `caller`, the credential of one call to the hub subgraph `audience`. */
export type ServiceCredentialSigner = (audience: string, body: string | Uint8Array) => Promise<string>;

export function serviceCredentialSigner(keys: SigningKeys, caller: string): ServiceCredentialSigner {
  const sign = credentialSigner(keys, SERVICE_ISSUER);
  return (audience, body) => sign(audience, { sub: caller }, body);
}

/** Checks a request's credential against its exact body, for one subgraph; resolves to its viewer. */
export type SubgraphCredentialVerifier = (credential: string | undefined, body: string | Uint8Array) => Promise<Viewer>;

/**
 * How the hub subgraph `audience` checks a request: a gateway credential (the gateway's public
 * keys; an officer or the public) or a service credential (the hub services' keys; a hub service),
 * in either case for this subgraph alone, bound to the body, once (`replayGuard`). Anything else
 * is refused alike, with no detail.
 */
export function subgraphCredentialVerifier(audience: string, secrets: ServiceSecrets, replayGuard: ReplayGuard): SubgraphCredentialVerifier {
  const gatewayKeys = 'jwksUrl' in secrets.gatewayPublicKeys ? hubGatewayKeys(secrets.gatewayPublicKeys.jwksUrl) : localVerificationKeys(secrets.gatewayPublicKeys.jwks);
  const serviceKeys = localVerificationKeys(publicJwks(secrets.serviceKeys));
  return async (credential, body) => {
    // Which keys to try; the signature check below pins the issuer again.
    if (credential && issuerOf(credential) === SERVICE_ISSUER) {
      const { sub } = await verifyCredential(credential, { keys: serviceKeys, issuer: SERVICE_ISSUER, audience, body, replayGuard });
      if (typeof sub !== 'string' || sub === '') throw new CredentialRefusedError();
      return { kind: 'service', name: sub };
    }
    const viewer = await verifyHubCredential(credential, { keys: gatewayKeys, audience, body, replayGuard });
    if (!viewer) return { kind: 'public' };
    const role = ROLES.find((known) => known === viewer.role);
    if (!role) throw new CredentialRefusedError();
    return { kind: 'officer', sub: viewer.sub, role, agencyId: viewer.agencyId };
  };
}

function issuerOf(credential: string): unknown {
  try {
    return decodeJwt(credential).iss;
  } catch {
    return undefined;
  }
}
