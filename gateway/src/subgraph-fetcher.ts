import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type Viewer } from '@lapor-hub/lib';

/**
 * Carries the viewer from the data source (which knows the request's context) to the fetcher (which
 * knows the exact bytes sent). The fetcher removes it: it never leaves the gateway.
 */
export const VIEWER_HANDOFF_HEADER = 'x-lapor-viewer';

export interface SubgraphFetcherOptions {
  gatewaySecret: Uint8Array;
  /** Open connections kept per subgraph; more requests than this queue at the gateway. */
  connectionsPerSubgraph?: number;
  /** How long a subgraph may take to answer one fetch before its part of the plan fails. */
  timeoutMs?: number;
}

/**
 * Sends each subgraph fetch over kept-alive connections, with a gateway credential signed for that
 * fetch's body: the credential cannot be replayed, nor reused for another operation.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): { fetcher: Fetcher; close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatcher = new Agent({
    connections: options.connectionsPerSubgraph ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const fetcher: Fetcher = async (url: string, init: FetcherRequestInit = {}) => {
    const { [VIEWER_HANDOFF_HEADER]: handedOffViewer, ...headers } = init.headers ?? {};
    const viewer: Viewer = handedOffViewer ? (JSON.parse(handedOffViewer) as Viewer) : { kind: 'service', name: 'gateway' };
    const body = init.body ?? '';
    headers[GATEWAY_CREDENTIAL_HEADER] = await signGatewayCredential(viewer, options.gatewaySecret, body);
    const response = await request(url, { method: 'POST', headers, body, dispatcher, signal: init.signal });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return new Response(await response.body.arrayBuffer(), { status: response.statusCode, headers: responseHeaders });
  };
  return { fetcher, close: () => dispatcher.close() };
}
