import type { EmbeddedPostgres } from '@lapor-hub/lib/embedded';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { embeddedServers?: EmbeddedPostgres[] }).embeddedServers ?? [];
  await Promise.all(servers.map((server) => server.stop()));
}
