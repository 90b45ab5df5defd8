import { credentialSigner, viewerClaim, type SigningKeys, type SubgraphCredentialSigner } from '@lapor-hub/lib';
import { GATEWAY_ISSUER } from '@lapor-hub/node-kit';

/**
 * The gateway's credential for a request to a subgraph (the hub's or a node's), the one place it
 * is made: the subgraph fetcher and the registry's SDL check both sign through it. Signed with the
 * gateway's current key; `audience` is the subgraph's name (a node's namespace), so a node that
 * captures one cannot present it to any other subgraph.
 */
export function gatewayCredentialSigner(keys: SigningKeys): SubgraphCredentialSigner {
  const sign = credentialSigner(keys, GATEWAY_ISSUER);
  return (audience, viewer, body) => sign(audience, { viewer: viewerClaim(viewer) }, body);
}

