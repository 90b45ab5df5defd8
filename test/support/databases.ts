import { randomBytes } from 'node:crypto';
import { SUBGRAPH_NAMES, type SubgraphName } from '@lapor-hub/lib';
import { withClient } from './with-client';

export interface TestDatabases {
  urls: Record<SubgraphName, string>;
  /** Pool size per service: one on the embedded database. */
  poolMax?: number;
  drop(): Promise<void>;
}

/**
 * A database of this test file's own: a fresh database on the PostgreSQL server, or, on the
 * embedded fallback (files run one at a time), the embedded databases with their schemas dropped.
 */
export async function createTestDatabases(): Promise<TestDatabases> {
  const serverUrl = process.env.LAPOR_TEST_SERVER_URL;
  if (serverUrl) {
    const name = `lapor_test_${randomBytes(6).toString('hex')}`;
    await withClient(serverUrl, (client) => client.query(`create database ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      urls: Object.fromEntries(SUBGRAPH_NAMES.map((subgraph) => [subgraph, url.toString()])) as Record<SubgraphName, string>,
      drop: () => withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
  }
  const urls = JSON.parse(process.env.LAPOR_TEST_EMBEDDED_URLS ?? '{}') as Record<SubgraphName, string>;
  for (const subgraph of SUBGRAPH_NAMES) {
    await withClient(urls[subgraph], (client) => client.query(`drop schema if exists ${subgraph} cascade`));
  }
  return { urls, poolMax: 1, drop: async () => undefined };
}

/** Runs one SQL statement on a subgraph's database, outside the services (for independent checks). */
export function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(text, params)).rows as T[]);
}
