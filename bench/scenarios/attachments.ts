import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { attachmentSettingsFromEnv } from '@lapor-hub/gateway/src/config';
import { openAttachmentStorage } from '@lapor-hub/gateway/src/attachments';
import { log, round, withClient } from '../common';
import { fetchBody, type LoadFigures, type LoadSpec } from '../load';
import type { ScenarioContext } from './context';

/**
 * Evidence uploads: `POST /attachments` on the gateway (multipart, one file, no token: a citizen
 * before submitting), each request one of a few distinct JPEG photos of 1-2 MB made with sharp, at
 * a few clients. The gateway sniffs, decodes, re-encodes without metadata, makes a thumbnail,
 * stores both and registers the upload with the complaints service: uploads/s and MB/s of photos
 * received. The uploads are never claimed, and are removed after the run (rows and files).
 */

export interface UploadFigures extends LoadFigures {
  uploadsPerSecond: number;
  megabytesPerSecond: number;
  photoBytes: number[];
}

/** The file name the uploads carry: the clean-up finds the run's uploads by it. */
const BENCH_FILENAME = 'lapor-bench-upload.jpg';
const BOUNDARY = 'lapor-bench-boundary-7e3b9f';

/** A photo-like JPEG: a gradient with grain, which compresses about as a phone's photo does (1-2 MB at 3 megapixels). */
async function photo(width = 2048, height = 1536): Promise<Buffer> {
  const raw = randomBytes(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = 40 + ((i / 3 / width) % 255 >> 1) + (raw[i] & 0x5f);
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

function multipart(file: Buffer): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${BENCH_FILENAME}"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

export async function attachmentUploads({ options, hub, runs }: ScenarioContext): Promise<UploadFigures> {
  const photos = await Promise.all([0, 1, 2, 3].map(() => photo()));
  const bodies = photos.map(multipart);
  const url = new URL('/attachments', hub.gateway.url).toString();
  const first = await fetch(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: fetchBody(bodies[0]) });
  if (first.status !== 201) throw new Error(`POST /attachments answered ${first.status}: ${(await first.text()).slice(0, 300)}`);
  let next = 0;
  const spec: LoadSpec = {
    url,
    connections: options.uploadConnections,
    seconds: options.duration,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    setupBody: () => bodies[next++ % bodies.length],
    check: (body) => body.includes('"id"') && !body.includes('"errors"'),
  };
  const sizes = photos.map((bytes) => bytes.length);
  log(`attachment uploads: ${options.uploadConnections} connections, ${options.duration} s, JPEGs of ${sizes.map((size) => round(size / 2 ** 20, 2)).join(', ')} MiB`);
  await runs.warm('attachment uploads', spec);
  const figures = await runs.measure('attachment uploads', spec);
  const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  const ok = figures.requests - figures.non2xx - figures.badBodies;
  return { ...figures, uploadsPerSecond: round(ok / options.duration, 1), megabytesPerSecond: round((ok * mean) / 2 ** 20 / options.duration, 1), photoBytes: sizes };
}

/** Removes every upload the benchmark made (by its file name): the rows, then the files no other row names. */
export async function removeUploads(databaseUrl: string, env: NodeJS.ProcessEnv): Promise<number> {
  const storage = openAttachmentStorage(attachmentSettingsFromEnv(env));
  const { removed, files } = await withClient(databaseUrl, async (client) => {
    const deleted = await client.query(`delete from complaints.attachment where filename = $1 and complaint_id is null returning sha256, thumbnail_sha256`, [BENCH_FILENAME]);
    const named = [...new Set(deleted.rows.flatMap((row: { sha256: string; thumbnail_sha256: string | null }) => [row.sha256, row.thumbnail_sha256]).filter((sha): sha is string => !!sha))];
    const kept = await client.query(`select sha256 from complaints.attachment where sha256 = any($1) union select thumbnail_sha256 from complaints.attachment where thumbnail_sha256 = any($1)`, [named]);
    const stillNamed = new Set(kept.rows.map((row: { sha256: string }) => row.sha256));
    return { removed: deleted.rowCount ?? 0, files: named.filter((sha) => !stillNamed.has(sha)) };
  });
  for (const sha256 of files) await storage.delete(sha256);
  return removed;
}
