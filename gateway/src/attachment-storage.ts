import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_DATA_DIR } from '@lapor-hub/lib';

/** Bytes an uploaded file may have when `ATTACHMENT_MAX_BYTES` is not set: 10 MB. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Where evidence bytes are kept, content-addressed: a file is named by the SHA-256 of its bytes, so
 * storing the same photo twice keeps it once and a name cannot be chosen by an uploader.
 */
export interface AttachmentStorage {
  /** Stores `bytes` (idempotent) and answers their SHA-256 in hex. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes stored under `sha256`, or null. */
  get(sha256: string): Promise<Buffer | null>;
  delete(sha256: string): Promise<void>;
  close(): Promise<void>;
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Files under `directory`, fanned out by the hash's first two bytes (`ab/cd/abcd…`) so that no directory grows huge. */
export function filesystemStorage(directory: string): AttachmentStorage {
  const fileOf = (sha256: string) => path.join(directory, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const file = fileOf(sha256);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Written aside and renamed: a reader never sees half a file, and two writers of the same bytes agree.
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes, { mode: 0o600 });
      await rename(temporary, file);
      return sha256;
    },
    async get(sha256) {
      try {
        return await readFile(fileOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(sha256) {
      await rm(fileOf(sha256), { force: true });
    },
    async close() {},
  };
}

/** Where the gateway keeps evidence: files under a directory (default `DATA_DIR/attachments`), or a PostgreSQL table. */
export type AttachmentStore = { kind: 'filesystem'; directory: string } | { kind: 'postgres'; databaseUrl: string };

export interface AttachmentSettings {
  store: AttachmentStore;
  /** The largest file accepted, in bytes; a larger one is answered HTTP 413. */
  maxBytes: number;
  /** Images decoded (and re-encoded) at once by this process (default 2); more wait, a few, or are refused (503). */
  decodeConcurrency?: number;
}

/** Files under `DATA_DIR`'s default place, at most 10 MB each. */
export const DEFAULT_ATTACHMENT_SETTINGS: AttachmentSettings = {
  store: { kind: 'filesystem', directory: path.resolve(DEFAULT_DATA_DIR, 'attachments') },
  maxBytes: DEFAULT_ATTACHMENT_MAX_BYTES,
};
