import { SUBGRAPH_NAMES } from '@lapor-hub/lib';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@lapor-hub/lib/embedded';

/**
 * Without a PostgreSQL server, starts one in-memory embedded PostgreSQL per subgraph. PGlite must
 * start here, outside Jest's module sandbox, where its dynamic imports work.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.LAPOR_TEST_SERVER_URL) return;
  const servers: EmbeddedPostgres[] = [];
  const urls: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    // Spare connections for the tests' own checks, made only while the service is idle.
    const server = await startEmbeddedPostgres({ maxConnections: 4 });
    servers.push(server);
    urls[name] = server.url;
  }
  process.env.LAPOR_TEST_EMBEDDED_URLS = JSON.stringify(urls);
  (globalThis as { embeddedServers?: EmbeddedPostgres[] }).embeddedServers = servers;
}
