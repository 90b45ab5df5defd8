import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_CREDENTIAL_HEADER, SUBGRAPH_NAMES, type GatewayViewer, type SubgraphName } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { log, round } from '../common';
import { assertNoErrors, checkData, postJson, type LoadFigures, type LoadSpec } from '../load';
import { OneTimeCredentials } from '../one-time-credentials';
import { spawnGateway, stopChild } from '../processes';
import type { ScenarioContext } from './context';

/**
 * The fetches of the inbox's query plan, as our gateway sends them: a gateway started on
 * recording proxies in front of the subgraphs answers one inbox, and every subgraph request it
 * sends meanwhile is kept (subgraph and body). Each is then sent straight to its subgraph one at a
 * time, with its own one-time credential signed ahead: the sum of their latencies is what the plan
 * costs without a gateway, the floor of the gateway's own one-at-a-time latency.
 */

export interface PlanFetch {
  subgraph: SubgraphName;
  /** The request body exactly as the gateway sent it. */
  body: string;
}

export interface PlanFetchFigures {
  fetches: (PlanFetch & { single: LoadFigures })[];
  /** Σ of the fetches' one-at-a-time p50 latencies. */
  sumP50Ms: number;
}

/** The inbox admin as the gateway hands it to the subgraphs. */
export const inboxViewer = (agencyId: string): GatewayViewer => ({ kind: 'officer', sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId });

/**
 * One inbox through a gateway on recording proxies: the subgraph requests of its plan, in the
 * order they were sent. The gateway learns where the subgraphs answer from the registry's
 * supergraph, so the registry's answers pass through a proxy too, which points them at the
 * recording proxies.
 */
export async function recordPlanFetches(context: ScenarioContext): Promise<PlanFetch[]> {
  const { hub, inbox } = context;
  const recorded: PlanFetch[] = [];
  let recording = false;
  const proxied = SUBGRAPH_NAMES.filter((name) => name !== 'registry');
  const proxies = await Promise.all(
    proxied.map((name) =>
      startProxy(hub[name].url, (body) => {
        if (recording) recorded.push({ subgraph: name, body });
      }),
    ),
  );
  const toProxies = (answer: string) => proxied.reduce((text, name, i) => text.split(hub[name].url).join(proxies[i].url), answer);
  const registry = await startProxy(hub.registry.url, () => {}, toProxies);
  // Deduplication off, as the direct fetches cannot share anything either.
  const gateway = await spawnGateway({ ...hub, registry: { ...hub.registry, url: registry.url } }, { GATEWAY_DEDUPLICATE_INFLIGHT: 'false' }, 'gateway (recording)');
  try {
    // The first request fills the gateway's caches (and may fetch what later requests do not).
    assertNoErrors('inbox through the recording gateway', await postJson(gateway.url, JSON.parse(inbox.body), inbox.headers));
    recording = true;
    assertNoErrors('inbox through the recording gateway', await postJson(gateway.url, JSON.parse(inbox.body), inbox.headers));
    recording = false;
  } finally {
    await stopChild(gateway);
    await Promise.all([...proxies, registry].map((proxy) => proxy.close()));
  }
  if (!recorded.some((fetch) => fetch.subgraph === 'complaints')) throw new Error('the inbox plan sent nothing to the complaints subgraph');
  log(`the inbox plan: ${recorded.map((fetch) => fetch.subgraph).join(' → ')}`);
  return recorded;
}

/** A load spec for one recorded fetch straight at its subgraph, each request with a fresh one-time credential. */
export async function directFetchSpec({ options, secrets, facts, hub }: ScenarioContext, fetch: PlanFetch): Promise<LoadSpec> {
  const signCredential = gatewayCredentialSigner(secrets.gatewayKeys);
  const viewer = inboxViewer(facts.busyRegencyId);
  const credentials = await OneTimeCredentials.start(() => signCredential(fetch.subgraph, viewer, fetch.body));
  const url = hub[fetch.subgraph].url;
  assertNoErrors(`the plan's ${fetch.subgraph} fetch`, await postJson(url, JSON.parse(fetch.body), { [GATEWAY_CREDENTIAL_HEADER]: credentials.take() }));
  return { url, connections: options.connections, seconds: options.duration, body: fetch.body, requestHeaders: () => ({ [GATEWAY_CREDENTIAL_HEADER]: credentials.take() }), check: checkData };
}

/** Every fetch of the plan straight at its subgraph, one at a time (each after a warm-up). */
export async function planFetchesDirect(context: ScenarioContext, fetches: PlanFetch[]): Promise<PlanFetchFigures> {
  const measured: PlanFetchFigures['fetches'] = [];
  for (const [index, fetch] of fetches.entries()) {
    const spec = await directFetchSpec(context, fetch);
    log(`the plan's fetch ${index + 1} (${fetch.subgraph}) straight at the subgraph, one at a time`);
    await context.runs.warm(`plan fetch ${index + 1} (${fetch.subgraph})`, { ...spec, connections: 1 });
    measured.push({ ...fetch, single: await context.runs.single(`plan fetch ${index + 1} (${fetch.subgraph}), 1 connection`, spec) });
  }
  return { fetches: measured, sumP50Ms: round(measured.reduce((sum, fetch) => sum + fetch.single.latencyMs.p50, 0), 2) };
}

/**
 * Forwards every request to `target` as it came, handing each request body to `record` first;
 * `rewrite` changes the answers' bodies (the registry's supergraph).
 */
async function startProxy(target: string, record: (body: string) => void, rewrite?: (answer: string) => string): Promise<{ url: string; close(): Promise<void> }> {
  const targetUrl = new URL(target);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'POST') record(body.toString('utf8'));
      const headers = { ...request.headers, host: targetUrl.host };
      // The answer is read whole only to be rewritten (no compression between the hub's processes).
      if (rewrite) delete headers['accept-encoding'];
      const upstream = http.request({ host: targetUrl.hostname, port: targetUrl.port, path: request.url, method: request.method, headers }, (answer) => {
        if (!rewrite) {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          return;
        }
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const rewritten = Buffer.from(rewrite(Buffer.concat(parts).toString('utf8')));
          const { 'content-length': _length, 'transfer-encoding': _encoding, ...kept } = answer.headers;
          response.writeHead(answer.statusCode ?? 502, { ...kept, 'content-length': rewritten.length });
          response.end(rewritten);
        });
      });
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
