import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { RequestUnauthenticatedError } from './errors';

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

/**
 * A secret from the environment. Development falls back to a fixed value so that `npm start` works on
 * a fresh clone; production refuses to start without the real one.
 */
export function secretFromEnv(name: string, developmentFallback: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const value = env[name];
  if (value) return new TextEncoder().encode(value);
  if (env.NODE_ENV === 'production') throw new Error(`${name} must be set when NODE_ENV=production`);
  return new TextEncoder().encode(developmentFallback);
}

/** Secrets from `JWT_SECRET`, `JWT_JWKS_URL` and `GATEWAY_SECRET`. */
export function authSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSecrets {
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  return {
    jwtSecret: jwksUrl ? new Uint8Array() : secretFromEnv('JWT_SECRET', 'lapor-hub-development-jwt-secret-change-me', env),
    jwksUrl,
    gatewaySecret: secretFromEnv('GATEWAY_SECRET', 'lapor-hub-development-gateway-secret-change-me', env),
  };
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

/** Verifies a caller's bearer token; any failure is `UNAUTHENTICATED` without detail on why. */
export async function verifyUserToken(token: string, secrets: AuthSecrets): Promise<Viewer> {
  try {
    let payload: unknown;
    if (secrets.jwksUrl) {
      let keys = jwksCache.get(secrets.jwksUrl);
      if (!keys) {
        keys = createRemoteJWKSet(new URL(secrets.jwksUrl));
        jwksCache.set(secrets.jwksUrl, keys);
      }
      ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'] }));
    } else {
      ({ payload } = await jwtVerify(token, secrets.jwtSecret, { algorithms: ['HS256'] }));
    }
    const claims = officerClaims.parse(payload);
    return { kind: 'officer', ...claims };
  } catch {
    throw new RequestUnauthenticatedError('Invalid or expired token');
  }
}

/** Reads `Authorization: Bearer <jwt>`; no header means a public (citizen) caller. */
export async function viewerFromAuthorization(header: string | undefined, secrets: AuthSecrets): Promise<Viewer> {
  if (!header) return { kind: 'public' };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new RequestUnauthenticatedError('Authorization must be "Bearer <token>"');
  return verifyUserToken(match[1], secrets);
}

const viewerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('public') }),
  z.object({ kind: z.literal('officer'), sub: z.string(), role: z.enum(ROLES), agencyId: z.string() }),
  z.object({ kind: z.literal('service'), name: z.string() }),
]);

/** The credential the gateway (or a hub service) attaches to every subgraph request. */
export async function signGatewayCredential(viewer: Viewer, secret: Uint8Array): Promise<string> {
  return new SignJWT({ viewer })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(SUBGRAPH_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(GATEWAY_CREDENTIAL_TTL)
    .sign(secret);
}

/** A subgraph's check that a request came through the gateway; anything else is refused. */
export async function verifyGatewayCredential(credential: string | undefined, secret: Uint8Array): Promise<Viewer> {
  if (!credential) throw new RequestUnauthenticatedError('This service only answers the LAPOR! Hub gateway');
  try {
    const { payload } = await jwtVerify(credential, secret, {
      algorithms: ['HS256'],
      issuer: GATEWAY_ISSUER,
      audience: SUBGRAPH_AUDIENCE,
    });
    return viewerSchema.parse(payload.viewer);
  } catch {
    throw new RequestUnauthenticatedError('This service only answers the LAPOR! Hub gateway');
  }
}
