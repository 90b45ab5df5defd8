import { signGatewayCredential, type AuthSecrets, type SubgraphCredentialSigner } from '@lapor-hub/lib';

/**
 * The gateway's credential for a request to a subgraph (the hub's or a node's), the one place it
 * is made: the subgraph fetcher and the registry's SDL check both sign through it. Today every
 * subgraph verifies the one HMAC `GATEWAY_SECRET`, so the audience is not yet in the credential.
 */
export function gatewayCredentialSigner(secrets: Pick<AuthSecrets, 'gatewaySecret'>): SubgraphCredentialSigner {
  return (_audience, viewer, body) => signGatewayCredential(viewer, secrets.gatewaySecret, body);
}
