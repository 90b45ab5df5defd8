import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningJwk, GATEWAY_CREDENTIAL_HEADER, publicJwks, subgraphCredentialVerifier, type Viewer } from '@lapor-hub/lib';
import { MemoryReplayGuard } from '@lapor-hub/node-kit';
import { gatewayCredentialSigner } from '../src/credentials';
import { createSubgraphFetcher, SHAREABLE_HANDOFF_HEADER, SUBGRAPH_HANDOFF_HEADER, VIEWER_HANDOFF_HEADER } from '../src/subgraph-fetcher';

const gatewayKeys = { current: generateSigningJwk() };
const secrets = { serviceKeys: { current: generateSigningJwk() }, gatewayPublicKeys: { jwks: publicJwks(gatewayKeys) } };
const officer: Viewer = { kind: 'officer', sub: 'a', role: 'AGENCY_ADMIN', agencyId: 'region-52.06' };
const otherOfficer: Viewer = { kind: 'officer', sub: 'b', role: 'AGENCY_ADMIN', agencyId: 'region-52.06' };

/** A subgraph stand-in (named `stand-in`) that holds every request until released, and checks each one's credential. */
async function heldSubgraph() {
  const received: { viewer: Viewer; body: string }[] = [];
  const held: (() => void)[] = [];
  const verify = subgraphCredentialVerifier('stand-in', secrets, new MemoryReplayGuard());
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const viewer = await verify(req.headers[GATEWAY_CREDENTIAL_HEADER] as string, body);
      received.push({ viewer, body: body.toString() });
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { seen: received.length } })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    received,
    async releaseWhen(count: number) {
      while (held.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
      for (const release of held.splice(0)) release();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('subgraph fetcher', () => {
  const { fetcher, close } = createSubgraphFetcher({ signCredential: gatewayCredentialSigner(gatewayKeys) });
  afterAll(close);

  const fetchAs = (url: string, viewer: Viewer, body: string, shareable: boolean) =>
    fetcher(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [VIEWER_HANDOFF_HEADER]: JSON.stringify(viewer),
        [SUBGRAPH_HANDOFF_HEADER]: 'stand-in',
        ...(shareable ? { [SHAREABLE_HANDOFF_HEADER]: '1' } : {}),
      },
      body,
    }).then((response) => response.json());

  it('sends one fetch for identical queries of one viewer in flight, and answers each caller', async () => {
    const subgraph = await heldSubgraph();
    const body = JSON.stringify({ query: 'query { agency(id: "region-52.06") { id } }' });
    const answers = Promise.all([1, 2, 3].map(() => fetchAs(subgraph.url, officer, body, true)));
    await subgraph.releaseWhen(1);
    expect(await answers).toEqual([1, 2, 3].map(() => ({ data: { seen: 1 } })));
    expect(subgraph.received).toEqual([{ viewer: officer, body }]);
    // Once answered, the same query is sent again.
    const later = fetchAs(subgraph.url, officer, body, true);
    await subgraph.releaseWhen(1);
    expect(await later).toEqual({ data: { seen: 2 } });
    await subgraph.close();
  });

  it('never shares between viewers, between bodies, or for mutations', async () => {
    const subgraph = await heldSubgraph();
    const query = JSON.stringify({ query: 'query { agency(id: "region-52.06") { id } }' });
    const otherQuery = JSON.stringify({ query: 'query { agency(id: "region-52") { id } }' });
    const mutation = JSON.stringify({ query: 'mutation { submitComplaint(input: {}) { complaint { id } } }' });
    const answers = Promise.all([
      fetchAs(subgraph.url, officer, query, true),
      fetchAs(subgraph.url, otherOfficer, query, true),
      fetchAs(subgraph.url, officer, otherQuery, true),
      fetchAs(subgraph.url, officer, mutation, false),
      fetchAs(subgraph.url, officer, mutation, false),
    ]);
    await subgraph.releaseWhen(5);
    await answers;
    expect(subgraph.received).toHaveLength(5);
    expect(subgraph.received.filter((request) => request.body === mutation)).toHaveLength(2);
    expect(subgraph.received.filter((request) => request.body === query).map((request) => request.viewer)).toEqual(
      expect.arrayContaining([officer, otherOfficer]),
    );
    await subgraph.close();
  });
});
