import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningJwk } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '../src/credentials';
import { createSubgraphFetcher, SUBGRAPH_HANDOFF_HEADER } from '../src/subgraph-fetcher';

// A node subgraph is fetched at public addresses only (unless SUBGRAPH_ALLOW_PRIVATE_URLS): checked
// on the address each connection is opened to, so a name the node later points at the hub's own
// network or the cloud's metadata endpoint gets a refused fetch, not an answer from there.

let server: http.Server;
let port: number;
const received: string[] = [];
const signCredential = gatewayCredentialSigner({ current: generateSigningJwk() });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    received.push(request.headers.host ?? '');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { __typename: 'Query' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const ask = (fetcher: ReturnType<typeof createSubgraphFetcher>['fetcher'], host: string) =>
  fetcher(`http://${host}:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', [SUBGRAPH_HANDOFF_HEADER]: 'bimaPupr' }, body: '{"query":"{ __typename }"}' });

describe('a node subgraph fetch', () => {
  it('is refused when the name resolves to a loopback address, or the URL names one in any spelling', async () => {
    const strict = createSubgraphFetcher({ signCredential, publicAddressesOnly: true });
    try {
      await expect(ask(strict.fetcher, 'localhost')).rejects.toThrow('localhost resolves to a non-public address');
      for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '[::ffff:127.0.0.1]']) {
        await expect(ask(strict.fetcher, host)).rejects.toThrow('bimaPupr is at a non-public address');
      }
      expect(received).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('reaches a loopback address where private addresses are allowed', async () => {
    const open = createSubgraphFetcher({ signCredential });
    try {
      expect(await (await ask(open.fetcher, 'localhost')).json()).toEqual({ data: { __typename: 'Query' } });
      expect(received).toEqual([`localhost:${port}`]);
    } finally {
      await open.close();
    }
  });
});
