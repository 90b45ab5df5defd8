import type { GatewayPlugin } from '@graphql-hive/gateway';
import { GATEWAY_CREDENTIAL_HEADER, type GatewayViewer, type SubgraphCredentialSigner, type Viewer } from '@lapor-hub/lib';

/**
 * What Hive Gateway needs to stand where ours does in front of the hub's subgraphs (and the
 * nodes'), which answer only fetches carrying a gateway credential (`x-lapor-gateway-credential`).
 * As ours does, it finds the caller's viewer once per request from the bearer token, and signs a
 * credential for each subgraph fetch, for that subgraph and over the body it sends, with the
 * gateway's one signer (`gatewayCredentialSigner`). `bench/hive/serve.ts` (the benchmark) and
 * `test/hive-parity.test.ts` use it.
 */
export function laporCredentialPlugin(options: { authenticate: (authorization: string | undefined) => Promise<Viewer>; signCredential: SubgraphCredentialSigner }): GatewayPlugin {
  const viewers = new WeakMap<Request, Promise<Viewer>>();
  const viewerOf = (request: Request): Promise<Viewer> => {
    let viewer = viewers.get(request);
    if (!viewer) {
      viewer = options.authenticate(request.headers.get('authorization') ?? undefined);
      viewers.set(request, viewer);
    }
    return viewer;
  };
  return {
    async onFetch({ options: fetchOptions, setOptions, context, executionRequest }) {
      const subgraph = executionRequest?.subgraphName;
      // The credential names its subgraph: a fetch Hive does not say the subgraph of is not signed for any.
      if (!subgraph) throw new Error('Hive Gateway fetched a subgraph without naming it');
      const request = (context as { request?: Request } | undefined)?.request;
      const viewer: Viewer = request ? await viewerOf(request) : { kind: 'public' };
      // A gateway credential names an officer or the public, never a hub service.
      if (viewer.kind === 'service') throw new Error('Hive Gateway was asked to sign for a hub service');
      const body = typeof fetchOptions.body === 'string' ? fetchOptions.body : '';
      const credential = await options.signCredential(subgraph, viewer satisfies GatewayViewer, body);
      setOptions({ ...fetchOptions, headers: { ...fetchOptions.headers, [GATEWAY_CREDENTIAL_HEADER]: credential } });
    },
  };
}
