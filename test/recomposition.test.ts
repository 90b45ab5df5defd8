import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHubService } from '../hub/start-hub';
import { NATIONAL_ID, postGraphQL, TestHub } from './support/hub';
import { FEDERATION_LINK, publishNode, removeNode, startStubNode, timeUntil } from './support/node-stubs';

// Gateways recompose from the registry: a node subgraph that answers slowly costs only its own
// fields; a version whose new subgraph fails the gateways' health check is kept out, with the
// reason recorded in the registry, as is one a gateway may not connect to (a private address where
// those are not allowed). Two gateway processes under load while a node subgraph is published,
// updated and removed: test/faults/recomposition-under-load.test.ts.

let hub: TestHub;
let national: string;

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
});
afterAll(async () => {
  await hub?.stop();
});

describe('gateways recompose from the registry', () => {
  it('cut a node subgraph that answers slowly off at its timeout, costing only its own fields', async () => {
    const sdl = `${FEDERATION_LINK} type Query { bimaSlow: String }`;
    const slow = await startStubNode(hub, 'bimaSlow', sdl, { bimaSlow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 2500)) });
    const config = { ...hub.serviceConfig, gateway: { ...hub.serviceConfig.gateway, nodeSubgraphTimeoutMs: 500 } };
    const gateway = await startHubService('gateway', config, { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url });
    try {
      await publishNode(hub, national, { agencyId: 'region-52.04', namespace: 'bimaSlow', url: slow.url, sdl });
      expect(await timeUntil(gateway.url, '{ bimaSlow }', national, 'known')).toBeLessThan(10_000);
      const started = Date.now();
      const answer = await postGraphQL(gateway.url, '{ bimaSlow agency(id: "region-52.06") { name } }', {}, { authorization: `Bearer ${national}` });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(answer.data).toEqual({ bimaSlow: null, agency: { name: 'Kabupaten Bima' } });
      expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'bimaSlow' }) })]);
      await removeNode(hub, national, { agencyId: 'region-52.04', namespace: 'bimaSlow' });
    } finally {
      await gateway.stop();
      await slow.stop();
    }
  });

  it('connect to a node subgraph at public addresses only, after DNS resolution, unless private ones are allowed', async () => {
    // A gateway started without SUBGRAPH_ALLOW_PRIVATE_URLS, beside the hub's (which allows them, as the registry does here).
    const strictConfig = { ...hub.serviceConfig, registry: { ...hub.serviceConfig.registry, allowPrivateUrls: false } };
    const strict = await startHubService('gateway', strictConfig, { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url });
    const sdl = `${FEDERATION_LINK} type Query { bimaRebound: String }`;
    const stub = await startStubNode(hub, 'bimaRebound', sdl);
    // A name, as a node would register: it resolves to loopback, as one pointed at the hub's network later would.
    const url = stub.url.replace('127.0.0.1', 'localhost');
    const demo = { agencyId: 'region-52.04', namespace: 'bimaRebound' };
    try {
      const version = await publishNode(hub, national, { ...demo, url, sdl });
      expect(await timeUntil(hub.gateway.url, '{ bimaRebound }', national)).toBeLessThan(10_000);
      let rejections: { reason: string }[] = [];
      for (const deadline = Date.now() + 10_000; rejections.length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rejections = await hub.sql('registry', 'select reason from registry.supergraph_rejection where version = $1', [version]);
      }
      // The hub's gateway serves the same URL: the strict one refused to connect to where it resolves.
      expect(rejections).toEqual([{ reason: expect.stringContaining(`bimaRebound (${url}): `) }]);
      const answer = await postGraphQL(strict.url, '{ bimaRebound agency(id: "region-52.06") { name } }', {}, { authorization: `Bearer ${national}` });
      expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      await removeNode(hub, national, demo);
    } finally {
      await strict.stop();
      await stub.stop();
    }
  });

  it('keep a version out when a subgraph it adds fails their health check, and the registry records why', async () => {
    const sdl = `${FEDERATION_LINK} type Query { bimaBroken: String }`;
    // Answers the registry's `_service { sdl }` and nothing else: the gateway's health check gets HTTP 500.
    const broken = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const asksSdl = body.includes('_service');
        response.writeHead(asksSdl ? 200 : 500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(asksSdl ? { data: { _service: { sdl } } } : { errors: [{ message: 'broken' }] }));
      });
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/graphql`;
    try {
      const version = await publishNode(hub, national, { agencyId: 'region-52.04', namespace: 'bimaBroken', url, sdl });
      const deadline = Date.now() + 10_000;
      let rejections: { gateway: string; reason: string }[] = [];
      while (rejections.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rejections = await hub.sql('registry', 'select gateway, reason from registry.supergraph_rejection where version = $1', [version]);
      }
      expect(rejections).toEqual([{ gateway: expect.any(String), reason: expect.stringContaining(`bimaBroken (${url})`) }]);
      // The old version goes on serving: the hub answers, the new field is unknown.
      const answer = await hub.query('{ bimaBroken agency(id: "region-52.06") { name } }', {}, national);
      expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await hub.query('{ agency(id: "region-52.06") { name } }', {}, national)).data.agency.name).toBe('Kabupaten Bima');
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
