import { defineConfig } from '@graphql-hive/gateway';
// The lib's light core: the Hive process loads no ORM.
import { authSecretsFromEnv, viewerFromAuthorization } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { laporCredentialPlugin } from './lapor-plugin';

/**
 * Hive Gateway config for `bench/run.ts --hive`. Hive does what our gateway does: verify the
 * caller's bearer token once per request, and sign a gateway credential (EdDSA, with
 * GATEWAY_SIGNING_KEY) for each subgraph fetch, naming that subgraph, over the body it sends
 * (`./lapor-plugin`). So both gateways pay the same auth cost.
 *
 * Hive deduplicates identical subgraph requests in flight by default; with
 * HIVE_DEDUPLICATE_INFLIGHT=false it sends every one, as our gateway does (see bench/README.md).
 */
const secrets = authSecretsFromEnv(process.env);
const deduplicate = process.env.HIVE_DEDUPLICATE_INFLIGHT !== 'false';

export const gatewayConfig = defineConfig({
  ...(deduplicate ? {} : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }),
  plugins: () => [laporCredentialPlugin({ authenticate: (authorization) => viewerFromAuthorization(authorization, secrets), signCredential: gatewayCredentialSigner(secrets.gatewayKeys) })],
});
