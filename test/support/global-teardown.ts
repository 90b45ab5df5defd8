import type { EmbeddedPostgres } from '@lapor-hub/lib';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { embeddedServers?: EmbeddedPostgres[] }).embeddedServers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
