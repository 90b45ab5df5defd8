import { NATIONAL_ID, postGraphQL, TestHub } from '../support/hub';
import { startGatewayProcess } from '../support/gateway-processes';
import { FEDERATION_LINK, publishNode, removeNode, startStubNode, timeUntil } from '../support/node-stubs';

/**
 * Recomposition without downtime, as deployed: two gateway replicas, each its own OS process
 * started from `gateway/src/main.ts`, in front of one registry, under continuous load from 20
 * clients while a node subgraph is published, updated and removed. Not one request may fail, and
 * both replicas serve each new version within 10 s. Here rather than in the regular suite: the
 * 10 s bound is about the gateways, not about a machine shared with other test files.
 */

let hub: TestHub;
let national: string;

beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
}, 180_000);
afterAll(async () => {
  await hub?.stop();
});

describe('two gateway processes', () => {
  it('both serve each publish, update and removal within 10 s while 20 clients query them, none failing', async () => {
    // Two replicas as deployed: separate OS processes in front of the same registry.
    const env = { SUPERGRAPH_POLL_INTERVAL_MS: '200', SUBGRAPH_ALLOW_PRIVATE_URLS: 'true' };
    const replicas = await Promise.all([startGatewayProcess(hub, env), startGatewayProcess(hub, env)]);
    const v1 = `${FEDERATION_LINK} type Query { bimaLoadPing: String }`;
    const v2 = `${FEDERATION_LINK} type Query { bimaLoadPing: String bimaLoadPong: String }`;
    const first = await startStubNode(hub, 'bimaLoad', v1);
    const second = await startStubNode(hub, 'bimaLoad', v2);
    const gateways = replicas.map((replica) => replica.url);
    let running = true;
    const sent = [0, 0];
    const failures: unknown[] = [];
    const client = async (index: number) => {
      const gateway = index % 2;
      while (running) {
        sent[gateway]++;
        try {
          const answer = await postGraphQL(gateways[gateway], '{ agency(id: "region-52.06") { name } categories { id } }', {}, { authorization: `Bearer ${national}` });
          if (answer.status !== 200 || answer.errors || answer.data?.agency?.name !== 'Kabupaten Bima') failures.push({ gateway, answer });
        } catch (error) {
          failures.push({ gateway, error: String(error) });
        }
      }
    };
    const clients = Array.from({ length: 20 }, (_, index) => client(index));
    const demo = { agencyId: 'region-52.04', namespace: 'bimaLoad' };
    try {
      await publishNode(hub, national, { ...demo, url: first.url, sdl: v1 });
      const published = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPing }', national)));
      await publishNode(hub, national, { ...demo, url: second.url, sdl: v2 });
      const updated = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPong }', national)));
      await removeNode(hub, national, demo);
      const removed = await Promise.all(gateways.map((gateway) => timeUntil(gateway, '{ bimaLoadPing }', national, 'unknown')));
      const late = Object.entries({ published, updated, removed }).flatMap(([step, times]) => times.map((ms, replica) => ({ step, replica, ms })).filter(({ ms }) => ms >= 10_000));
      expect(late).toEqual([]);
    } finally {
      running = false;
      await Promise.all(clients);
      await first.stop();
      await second.stop();
      // A replica stopped as a deployment stops it finishes cleanly.
      expect(await Promise.all(replicas.map((replica) => replica.stop()))).toEqual([0, 0]);
    }
    for (const count of sent) expect(count).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });
});
