import { randomUUID } from 'node:crypto';
import { abuseOptionsFromEnv } from '@lapor-hub/gateway/src/config';
import type { GatewayOptions } from '@lapor-hub/gateway/src/server';
import { RATE_LIMIT_TABLE } from '@lapor-hub/gateway/src/submit-rate-limit';
import type { ServiceHandle } from '@lapor-hub/lib';
import { ExtraGateways } from './support/extra-gateways';
import { postGraphQL, TestHub } from './support/hub';

/**
 * Issue "What a hostile client found", item 8: the submitComplaint limit holds across gateway
 * replicas. Two gateways, each with its own limiter, in front of the same subgraphs.
 */
let hub: TestHub;
const gateways = new ExtraGateways();
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => {
  await gateways.stopAll();
  await hub?.stop();
});

/** One more replica allowing 3 submissions a minute, with its own limiter. */
const replica = (options: Partial<GatewayOptions>) => gateways.start(hub, { submitRateLimit: { perMinute: 3 }, ...options });

const SUBMIT = `mutation { submitComplaint(input: { type: COMPLAINT, title: "Lampu jalan mati", body: "Lampu jalan di Jalan Soekarno-Hatta mati sebulan.", channel: SMS, regionCode: "52.06" }) { complaint { id } } }`;

/** Six submissions of one client, alternating between the two replicas: the statuses. */
async function alternate(first: ServiceHandle, second: ServiceHandle, sub: string): Promise<number[]> {
  const authorization = `Bearer ${await hub.token('AGENCY_SYSTEM', 'region-52.06', sub)}`;
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await postGraphQL((i % 2 ? second : first).url, SUBMIT, {}, { authorization })).status);
  return statuses;
}

describe('the submitComplaint limit across replicas', () => {
  it('counted in PostgreSQL: two replicas together allow the limit, not double', async () => {
    const store = { kind: 'postgres', databaseUrl: hub.databases.urls.complaints } as const;
    const [a, b] = [await replica({ rateLimitStore: store }), await replica({ rateLimitStore: store })];
    expect(await alternate(a, b, `sms-${randomUUID()}`)).toEqual([200, 200, 200, 429, 429, 429]);
    const rows = await hub.sql<{ count: number }>('complaints', `select count(*)::int as count from ${RATE_LIMIT_TABLE}`);
    expect(rows[0].count).toBeGreaterThan(0);
  });

  it('counted in Redis when configured', async () => {
    const store = { kind: 'redis', redisUrl: 'redis://127.0.0.1:6379' } as const;
    const [a, b] = [await replica({ rateLimitStore: store }), await replica({ rateLimitStore: store })];
    expect(await alternate(a, b, `sms-${randomUUID()}`)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('counted in memory, each process allows the limit: right for one process only', async () => {
    const [a, b] = [await replica({}), await replica({})];
    expect(await alternate(a, b, `sms-${randomUUID()}`)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('is configured by REDIS_URL, else DATABASE_URL, else in memory', () => {
    expect(abuseOptionsFromEnv({ DATABASE_URL: 'postgresql://db/hub' }).rateLimitStore).toEqual({ kind: 'postgres', databaseUrl: 'postgresql://db/hub' });
    expect(abuseOptionsFromEnv({ DATABASE_URL: 'postgresql://db/hub', REDIS_URL: 'redis://cache:6379' }).rateLimitStore).toEqual({ kind: 'redis', redisUrl: 'redis://cache:6379' });
    expect(abuseOptionsFromEnv({}).rateLimitStore).toBeUndefined();
  });
});
