import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import type { ServiceHandle } from '@lapor-hub/lib';
import { startNodeSubgraph } from '@lapor-hub/node-kit';
import { startHubService } from '../hub/start-hub';
import { NATIONAL_ID, postGraphQL, TestHub } from './support/hub';

// Gateways recompose from the registry without downtime: two gateways under continuous load while
// a node subgraph is published, updated and removed; and a version whose new subgraph fails the
// gateways' health check is kept out, with the reason recorded in the registry, as is one a gateway
// may not connect to (a private address where those are not allowed).

let hub: TestHub;
let national: string;
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const PUBLISH = `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ok errors { code message } supergraphVersion } }`;
const REMOVE = `mutation($input: RemoveNodeSubgraphInput!) { removeNodeSubgraph(input: $input) { supergraphVersion } }`;

/** A node subgraph of `namespace` (built with node-kit, as a node builds one) whose root fields answer their own names. */
function startStubNode(namespace: string, sdl: string): Promise<ServiceHandle> {
  const fields = [...sdl.matchAll(/(bima\w+):/g)].map((match) => match[1]);
  return startNodeSubgraph({
    namespace,
    typeDefs: parse(sdl),
    resolvers: { Query: Object.fromEntries(fields.map((field) => [field, () => field])) },
    jwksUrl: hub.jwksUrl,
    createContext: () => ({}),
  });
}

async function publish(input: Record<string, unknown>) {
  const { data, errors } = await hub.query(PUBLISH, { input }, national);
  expect(errors).toBeUndefined();
  expect(data.publishNodeSubgraph).toMatchObject({ ok: true, errors: [] });
  return data.publishNodeSubgraph.supergraphVersion as number;
}

/**
 * How long until `gateway` answers `query` without errors (with `unknown`: refuses it as unknown;
 * with `known`: no longer refuses it as unknown, whatever else it answers); at most 15 s.
 */
async function timeUntil(gateway: string, query: string, unknown = false, known = false): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    const answer = await postGraphQL(gateway, query, {}, { authorization: `Bearer ${national}` });
    const refusedAsUnknown = answer.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED';
    if (unknown ? refusedAsUnknown : known ? !refusedAsUnknown : !answer.errors) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Infinity;
}

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
});
afterAll(async () => {
  await hub?.stop();
});

describe('gateways recompose from the registry', () => {
  it('serve each publish, update and removal within 10 s while 20 clients query them, none failing', async () => {
    // A second gateway in front of the same registry, as a second replica would be.
    const other = await startHubService('gateway', hub.serviceConfig, { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url });
    const v1 = `${LINK} type Query { bimaLoadPing: String }`;
    const v2 = `${LINK} type Query { bimaLoadPing: String bimaLoadPong: String }`;
    const first = await startStubNode('bimaLoad', v1);
    const second = await startStubNode('bimaLoad', v2);
    const gateways = [hub.gateway.url, other.url];
    let running = true;
    let sent = 0;
    const failures: unknown[] = [];
    const client = async (index: number) => {
      const gateway = gateways[index % 2];
      while (running) {
        sent++;
        try {
          const answer = await postGraphQL(gateway, '{ agency(id: "region-52.06") { name } categories { id } }', {}, { authorization: `Bearer ${national}` });
          if (answer.status !== 200 || answer.errors || answer.data?.agency?.name !== 'Kabupaten Bima') failures.push(answer);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const clients = Array.from({ length: 20 }, (_, index) => client(index));
    const demo = { agencyId: 'region-52.04', namespace: 'bimaLoad' };
    try {
      await publish({ ...demo, url: first.url, sdl: v1 });
      const published = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPing }')));
      await publish({ ...demo, url: second.url, sdl: v2 });
      const updated = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPong }')));
      const { errors } = await hub.query(REMOVE, { input: demo }, national);
      expect(errors).toBeUndefined();
      const removed = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPing }', true)));
      for (const elapsed of [...published, ...updated, ...removed]) expect(elapsed).toBeLessThan(10_000);
    } finally {
      running = false;
      await Promise.all(clients);
      await other.stop();
      await first.stop();
      await second.stop();
    }
    expect(sent).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('cut a node subgraph that answers slowly off at its timeout, costing only its own fields', async () => {
    const sdl = `${LINK} type Query { bimaSlow: String }`;
    const slow = await startNodeSubgraph({
      namespace: 'bimaSlow',
      typeDefs: parse(sdl),
      resolvers: { Query: { bimaSlow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 2500)) } },
      jwksUrl: hub.jwksUrl,
      createContext: () => ({}),
    });
    const config = { ...hub.serviceConfig, gateway: { ...hub.serviceConfig.gateway, nodeSubgraphTimeoutMs: 500 } };
    const gateway = await startHubService('gateway', config, { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url });
    try {
      await publish({ agencyId: 'region-52.04', namespace: 'bimaSlow', url: slow.url, sdl });
      expect(await timeUntil(gateway.url, '{ bimaSlow }', false, true)).toBeLessThan(10_000);
      const started = Date.now();
      const answer = await postGraphQL(gateway.url, '{ bimaSlow agency(id: "region-52.06") { name } }', {}, { authorization: `Bearer ${national}` });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(answer.data).toEqual({ bimaSlow: null, agency: { name: 'Kabupaten Bima' } });
      expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'bimaSlow' }) })]);
      const { errors } = await hub.query(REMOVE, { input: { agencyId: 'region-52.04', namespace: 'bimaSlow' } }, national);
      expect(errors).toBeUndefined();
    } finally {
      await gateway.stop();
      await slow.stop();
    }
  });

  it('connect to a node subgraph at public addresses only, after DNS resolution, unless private ones are allowed', async () => {
    // A gateway started without SUBGRAPH_ALLOW_PRIVATE_URLS, beside the hub's (which allows them, as the registry does here).
    const strictConfig = { ...hub.serviceConfig, registry: { ...hub.serviceConfig.registry, allowPrivateUrls: false } };
    const strict = await startHubService('gateway', strictConfig, { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url });
    const sdl = `${LINK} type Query { bimaRebound: String }`;
    const stub = await startStubNode('bimaRebound', sdl);
    // A name, as a node would register: it resolves to loopback, as one pointed at the hub's network later would.
    const url = stub.url.replace('127.0.0.1', 'localhost');
    const demo = { agencyId: 'region-52.04', namespace: 'bimaRebound' };
    try {
      const version = await publish({ ...demo, url, sdl });
      expect(await timeUntil(hub.gateway.url, '{ bimaRebound }')).toBeLessThan(10_000);
      let rejections: { reason: string }[] = [];
      for (const deadline = Date.now() + 10_000; rejections.length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rejections = await hub.sql('registry', 'select reason from registry.supergraph_rejection where version = $1', [version]);
      }
      // The hub's gateway serves the same URL: the strict one refused to connect to where it resolves.
      expect(rejections).toEqual([{ reason: expect.stringContaining(`bimaRebound (${url}): `) }]);
      const answer = await postGraphQL(strict.url, '{ bimaRebound agency(id: "region-52.06") { name } }', {}, { authorization: `Bearer ${national}` });
      expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const { errors } = await hub.query(REMOVE, { input: demo }, national);
      expect(errors).toBeUndefined();
    } finally {
      await strict.stop();
      await stub.stop();
    }
  });

  it('keep a version out when a subgraph it adds fails their health check, and the registry records why', async () => {
    const sdl = `${LINK} type Query { bimaBroken: String }`;
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
      const version = await publish({ agencyId: 'region-52.04', namespace: 'bimaBroken', url, sdl });
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
