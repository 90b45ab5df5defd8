import {
  HubError,
  logger,
  NodeDirectory,
  RequestUnauthenticatedError,
  ServiceClient,
  viewerFromAuthorization,
  type AuthSecrets,
  type NodeFacts,
  type TokenPolicy,
  type Viewer,
} from '@lapor-hub/lib';

/** Who sent a request, from its `Authorization` header: the public, or a verified officer of a real node. */
export type Authenticate = (authorization: string | undefined) => Promise<Viewer>;

/**
 * Verifies the bearer token (signature, lifetime, issuer and audience: `verifyUserToken`) and then
 * that its `agencyId` names a node of the hub, and the national node for a `NATIONAL_ADMIN`: an
 * identity provider's mistake or a token minted for a deleted node gets no rights. The node is
 * asked of the agencies subgraph (the directory's owner) as a hub service, and kept a minute like
 * every service's node facts. Every refusal is the same `UNAUTHENTICATED`.
 */
export function createAuthenticator(options: { secrets: AuthSecrets; tokenPolicy?: TokenPolicy; agenciesUrl: string }): Authenticate {
  const directory = new NodeDirectory(new ServiceClient({ name: 'agencies', url: options.agenciesUrl }, 'gateway', options.secrets));
  return async (authorization) => {
    const viewer = await viewerFromAuthorization(authorization, options.secrets, options.tokenPolicy);
    if (viewer.kind !== 'officer') return viewer;
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
