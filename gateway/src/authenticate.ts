import {
  bearerToken,
  ExpiringCache,
  HubError,
  logger,
  NodeDirectory,
  RequestUnauthenticatedError,
  ServiceClient,
  verifyUserTokenClaims,
  type AuthSecrets,
  type NodeFacts,
  type TokenPolicy,
  type VerifiedUserToken,
  type Viewer,
} from '@lapor-hub/lib';

/** Who sent a request, from its `Authorization` header: the public, or a verified officer of a real node. */
export type Authenticate = (authorization: string | undefined) => Promise<Viewer>;

/**
 * How long a token that verified is trusted again without its signature checked, never past its
 * `exp`: within this, a key dropped from the identity provider's JWKS stops its tokens (jose's
 * remote key set keeps keys longer than this anyway).
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;

/** Tokens are minted by the identity provider only: the bound keeps memory in check, not an attacker out. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Verifies the bearer token (signature, lifetime, issuer and audience: `verifyUserTokenClaims`)
 * and then that its `agencyId` names a node of the hub, and the national node for a
 * `NATIONAL_ADMIN`: an identity provider's mistake or a token minted for a deleted node gets no
 * rights. The node is asked of the agencies subgraph (the directory's owner) as a hub service, and
 * kept a minute like every service's node facts. Every refusal is the same `UNAUTHENTICATED`.
 *
 * An officer's client sends the same token with every request: a token that verified is kept by
 * its exact text (the same bytes verify the same way; of the checks only `exp` changes its
 * answer over time, and it is checked again on every use), so that each request does not pay for
 * the signature and the claims' parsing again. Refused tokens are not kept. The node check runs
 * on every request (the directory shares a lookup under way among the requests about one node).
 */
export function createAuthenticator(options: { secrets: AuthSecrets; tokenPolicy?: TokenPolicy; agenciesUrl: string }): Authenticate {
  const directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: options.agenciesUrl }, 'gateway', options.secrets));
  const verified = new ExpiringCache<string, VerifiedUserToken>(VERIFIED_TOKEN_TTL_MS, VERIFIED_TOKENS_KEPT);

  const verify = async (token: string): Promise<VerifiedUserToken['viewer']> => {
    let entry = verified.get(token)?.value;
    if (!entry || entry.expiresAt <= Date.now() / 1000) {
      entry = await verifyUserTokenClaims(token, options.secrets, options.tokenPolicy);
      verified.set(token, entry);
    }
    // A copy: the kept viewer is shared by every request that sends this token.
    return { ...entry.viewer };
  };

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (token === null) return { kind: 'public' };
    const viewer = await verify(token);
    let node: NodeFacts | null;
    try {
      [node] = await directory.nodes([viewer.agencyId]);
    } catch (error) {
      logger.warn({ err: error }, 'the directory could not confirm a token’s node');
      throw new HubError('A hub service is unavailable; retry', 'SERVICE_UNAVAILABLE', { http: { status: 503 } });
    }
    if (!node || (viewer.role === 'NATIONAL_ADMIN' && node.kind !== 'NATIONAL')) throw new RequestUnauthenticatedError('Invalid or expired token');
    return viewer;
  };
}
