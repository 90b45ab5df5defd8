import { defineConfig } from '@graphql-hive/gateway';
// The auth module alone (jose and zod), not the lib's index: the Hive process loads no ORM.
import { authSecretsFromEnv, GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, viewerFromAuthorization } from '@lapor-hub/lib/src/auth';

/**
 * Hive Gateway config for `bench/run.ts --hive`. The hub's subgraphs answer only requests that
 * carry a gateway credential (`x-lapor-gateway-credential`, a JWT signed with GATEWAY_SECRET that
 * lives 60 s). Hive does what our gateway does for every request: verify the caller's bearer token
 * and sign the credential once, reused for each subgraph fetch of that request. So both gateways
 * pay the same auth cost, and no pre-signed credential can expire during a long run.
 *
 * Hive deduplicates identical subgraph requests in flight by default; with
 * HIVE_DEDUPLICATE_INFLIGHT=false it sends every one, as our gateway does (see bench/README.md).
 */
const secrets = authSecretsFromEnv();
const credentials = new WeakMap<Request, Promise<string>>();

function credentialFor(request: Request): Promise<string> {
  let credential = credentials.get(request);
  if (!credential) {
    credential = viewerFromAuthorization(request.headers.get('authorization') ?? undefined, secrets).then((viewer) =>
      signGatewayCredential(viewer, secrets.gatewaySecret),
    );
    credentials.set(request, credential);
  }
  return credential;
}

const deduplicate = process.env.HIVE_DEDUPLICATE_INFLIGHT !== 'false';

export const gatewayConfig = defineConfig({
  ...(deduplicate ? {} : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }),
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request }) => ({ [GATEWAY_CREDENTIAL_HEADER]: await credentialFor(request) }),
  },
});
