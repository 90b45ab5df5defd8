import { mkdirSync } from 'node:fs';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// PGlite ships its contrib extensions as separate modules, exported only through the package's
// `exports` map (which this project's `node` module resolution does not read for types). The
// complaints subgraph's search needs pg_trgm; the `indonesian` configuration is built in.
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export interface EmbeddedPostgres {
  /** Connection string for the pooled client; use a pool of exactly one connection. */
  url: string;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL (PGlite) served on loopback. PGlite is a single backend: every connection
 * shares one session, so concurrent transactions from several connections would interleave.
 * Each service therefore gets its own instance, and a pool of one connection to it.
 * `dataDir` keeps the data on disk across restarts; without it the database lives in memory.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: options.maxConnections ?? 1 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
