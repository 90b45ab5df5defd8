import { Pool } from 'pg';
import { sha256Hex, type AttachmentStorage } from './attachment-storage';

/**
 * A `bytea` table `gateway_attachment_blob` in the PostgreSQL at `databaseUrl`, created if missing:
 * for replicas that share no disk.
 */
export function postgresStorage(databaseUrl: string): AttachmentStorage {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  let ready: Promise<unknown> | undefined;
  const table = () =>
    (ready ??= pool.query('create table if not exists gateway_attachment_blob (sha256 text primary key, bytes bytea not null, stored_at timestamptz not null default now())'));
  return {
    async put(bytes) {
      await table();
      const sha256 = sha256Hex(bytes);
      await pool.query('insert into gateway_attachment_blob (sha256, bytes) values ($1, $2) on conflict (sha256) do nothing', [sha256, bytes]);
      return sha256;
    },
    async get(sha256) {
      await table();
      const { rows } = await pool.query<{ bytes: Buffer }>('select bytes from gateway_attachment_blob where sha256 = $1', [sha256]);
      return rows[0]?.bytes ?? null;
    },
    async delete(sha256) {
      await table();
      await pool.query('delete from gateway_attachment_blob where sha256 = $1', [sha256]);
    },
    async close() {
      await pool.end();
    },
  };
}
