import { defineConfig } from '@graphql-hive/gateway';
// The lib's light core: the Hive process loads no ORM.
import { authSecretsFromEnv, GATEWAY_CREDENTIAL_HEADER, viewerFromAuthorization, type GatewayViewer, type Viewer } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';

/**
 * Hive Gateway config for `bench/run.ts --hive`. The hub's subgraphs answer only requests that
 * carry a gateway credential (`x-lapor-gateway-credential`, an EdDSA JWS signed with
 * GATEWAY_SIGNING_KEY, for that subgraph alone, bound to the fetch's body and usable once). Hive
 * does what our gateway does, with the same signer: verify the caller's bearer token once per
 * request, and sign a credential for each subgraph fetch, naming that subgraph, over the body it
 * sends. So both gateways pay the same auth cost.
 *
 * Hive deduplicates identical subgraph requests in flight by default; with
 * HIVE_DEDUPLICATE_INFLIGHT=false it sends every one, as our gateway does (see bench/README.md).
 */
const secrets = authSecretsFromEnv(process.env);
const signCredential = gatewayCredentialSigner(secrets.gatewayKeys);
const viewers = new WeakMap<Request, Promise<Viewer>>();

function viewerOf(request: Request): Promise<Viewer> {
  let viewer = viewers.get(request);
  if (!viewer) {
    viewer = viewerFromAuthorization(request.headers.get('authorization') ?? undefined, secrets);
    viewers.set(request, viewer);
  }
  return viewer;
}

const deduplicate = process.env.HIVE_DEDUPLICATE_INFLIGHT !== 'false';

export const gatewayConfig = defineConfig({
  ...(deduplicate ? {} : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }),
  plugins: () => [
    {
      async onFetch({ options, setOptions, context, executionRequest }) {
        const request = (context as { request?: Request } | undefined)?.request;
        const viewer: Viewer = request ? await viewerOf(request) : { kind: 'public' };
        // The credential names the subgraph it is for; a fetch Hive does not say the subgraph of gets none.
        const subgraph = executionRequest?.subgraphName;
        if (!subgraph || viewer.kind === 'service') return;
        const body = typeof options.body === 'string' ? options.body : '';
        const credential = await signCredential(subgraph, viewer satisfies GatewayViewer, body);
        setOptions({ ...options, headers: { ...options.headers, [GATEWAY_CREDENTIAL_HEADER]: credential } });
      },
    },
  ],
});
