import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';
import { GATEWAY_CREDENTIAL_HEADER, type GatewayViewer, isNonPublicAddress, NonPublicAddressError, publicOnlyLookup, type SubgraphCredentialSigner, urlHost, type Viewer } from '@lapor-hub/lib';

/**
 * Carries the viewer from the data source (which knows the request's context) to the fetcher (which
 * knows the exact bytes sent). The fetcher removes it: it never leaves the gateway.
 */
export const VIEWER_HANDOFF_HEADER = 'x-lapor-viewer';
/** Set by the data source on read-only fetches (queries), which may share an identical one in flight. */
export const SHAREABLE_HANDOFF_HEADER = 'x-lapor-shareable';
/** Set by the data source: the subgraph a fetch is for, whose name the credential carries as its audience. */
export const SUBGRAPH_HANDOFF_HEADER = 'x-lapor-subgraph';

export interface SubgraphFetcherOptions {
  /** The gateway's one credential function (`./credentials`). */
  signCredential: SubgraphCredentialSigner;
  /** Open connections kept per subgraph; more requests than this queue at the gateway. */
  connectionsPerSubgraph?: number;
  /** How long a subgraph may take to answer one fetch before its part of the plan fails. */
  timeoutMs?: number;
  /**
   * An identical query fetch (same subgraph, same viewer, same body) already in flight is answered
   * with that one's response instead of being sent again. Never for mutations. Default: on.
   */
  deduplicateInflight?: boolean;
  /**
   * Connect to public addresses only, checked on the address each connection is opened to (after
   * DNS resolution, so a node that later points its name at 169.254.169.254 or the hub's network
   * gets a refused fetch). For node subgraphs unless `SUBGRAPH_ALLOW_PRIVATE_URLS=true`.
   */
  publicAddressesOnly?: boolean;
}

interface SubgraphAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * One caller's view of a subgraph's answer: what the data source reads (status, headers, the body
 * once, as a WHATWG Response allows), without building a Response and its body stream for every
 * fetch, which a profile of the federated inbox showed costing the gateway more than parsing the JSON.
 */
class SubgraphResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;

  constructor(
    readonly url: string,
    private readonly answer: SubgraphAnswer,
  ) {}

  get status(): number {
    return this.answer.status;
  }

  get ok(): boolean {
    return this.answer.status >= 200 && this.answer.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.answer.status] ?? '';
  }

  get headers(): Headers {
    return this.answer.headers;
  }

  async text(): Promise<string> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    return this.answer.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(await this.text());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): SubgraphResponse {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new SubgraphResponse(this.url, this.answer);
  }
}

/**
 * Sends each subgraph fetch over kept-alive connections, with a gateway credential signed for that
 * fetch's body: the credential cannot be replayed, nor reused for another operation.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): { fetcher: Fetcher; close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deduplicate = options.deduplicateInflight ?? true;
  const dispatcher = new Agent({
    connections: options.connectionsPerSubgraph ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(options.publicAddressesOnly ? { connect: { lookup: publicOnlyLookup() } } : {}),
  });
  const inflight = new Map<string, Promise<SubgraphAnswer>>();

  const send = async (subgraph: string, url: string, viewer: GatewayViewer, headers: Record<string, string>, body: string | Buffer): Promise<SubgraphAnswer> => {
    // An IP literal is connected to without a lookup: judged here instead.
    if (options.publicAddressesOnly && isIP(urlHost(url)) && isNonPublicAddress(urlHost(url))) throw new NonPublicAddressError(`${subgraph} is at a non-public address`);
    headers[GATEWAY_CREDENTIAL_HEADER] = await options.signCredential(subgraph, viewer, body);
    const response = await request(url, { method: 'POST', headers, body, dispatcher });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return { status: response.statusCode, headers: responseHeaders, body: await response.body.text() };
  };

  const fetcher: Fetcher = async (url: string, init: FetcherRequestInit = {}) => {
    const {
      [VIEWER_HANDOFF_HEADER]: handedOffViewer,
      [SHAREABLE_HANDOFF_HEADER]: shareable,
      [SUBGRAPH_HANDOFF_HEADER]: subgraph = '',
      ...headers
    } = init.headers ?? {};
    // The gateway's own fetches (health checks) go as the public.
    const viewer: Viewer = handedOffViewer ? (JSON.parse(handedOffViewer) as Viewer) : { kind: 'public' };
    // Only a hub service's own key speaks for a hub service; a gateway credential never does.
    if (viewer.kind === 'service') throw new Error('A gateway credential names an officer or the public, never a hub service');
    const body = init.body ?? '';
    let answer: Promise<SubgraphAnswer>;
    if (deduplicate && shareable) {
      const key = `${url}\n${handedOffViewer ?? ''}\n${body.toString()}`;
      let shared = inflight.get(key);
      if (!shared) {
        shared = send(subgraph, url, viewer, headers, body).finally(() => inflight.delete(key));
        inflight.set(key, shared);
      }
      answer = shared;
    } else {
      answer = send(subgraph, url, viewer, headers, body);
    }
    // Each caller reads (and parses) the body once for itself.
    return new SubgraphResponse(url, await answer);
  };
  return { fetcher, close: () => dispatcher.close() };
}
