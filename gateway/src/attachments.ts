import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import express, { type Request, type Response } from 'express';
import sharp from 'sharp';
import { logger, ServiceClient, ServiceRefusedError, verifyAttachmentLink, type AuthSecrets } from '@lapor-hub/lib';
import { postgresStorage } from './attachment-blob-repository';
import { DEFAULT_ATTACHMENT_SETTINGS, filesystemStorage, type AttachmentSettings, type AttachmentStorage } from './attachment-storage';
import { consumeOrRetryAfter, openAttachmentLimiters, type AttachmentLimiters, type AttachmentRateLimit, type RateLimitStore } from './submit-rate-limit';

/**
 * Pixels an image may declare: 40 million (a 48-megapixel phone's photo at its default size is 12).
 * Checked on the header before decoding, so that a small file declaring 50,000 × 50,000 never
 * allocates its 7.5 GB of pixels.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The longest side of a thumbnail, in pixels. */
const THUMBNAIL_SIZE = 320;

export type EvidenceType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

/** A refusal of an upload or a download, answered as `{ errors: [{ message, extensions: { code } }] }`. */
export class AttachmentRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds after which trying again may succeed (`retry-after`), for a refusal that is about load. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Images decoded at once when `AttachmentSettings.decodeConcurrency` is not set. */
export const DEFAULT_DECODE_CONCURRENCY = 2;

/**
 * At most `concurrency` image decodes at once, and at most `4 × concurrency` uploads waiting for
 * one; beyond that an upload is refused at once (503, `retry-after`). A decoded image may take
 * 160 MB (40 megapixels, 4 channels), and each waiting upload holds its file in memory: a burst
 * of uploads, from one client or many, waits or is refused rather than exhausting the process.
 */
export class DecodeGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`Invalid decode concurrency ${concurrency}: it must be a positive whole number`);
  }

  async run<T>(decode: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= 4 * this.concurrency) throw new AttachmentRefusal(503, 'SERVICE_BUSY', 'Too many uploads are being processed; retry shortly', 2);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await decode();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

const unsupported = (message: string) => new AttachmentRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', message);
const ACCEPTED = 'JPEG, PNG, WebP or PDF';

/** The file's type by its first bytes, whatever its name or declared type says. */
export function sniffEvidenceType(bytes: Buffer): EvidenceType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** What is kept of an upload: the bytes served, and a thumbnail for an image. */
export interface ProcessedEvidence {
  contentType: EvidenceType;
  bytes: Buffer;
  thumbnail: { contentType: 'image/webp'; bytes: Buffer } | null;
}

/**
 * Accepts a file by its content and makes what is kept of it. An image is decoded and encoded
 * anew in its own format, turned upright by its orientation tag first: the output carries no
 * metadata block at all (sharp writes EXIF, XMP, IPTC or an ICC profile only when asked), so GPS
 * coordinates and a camera's serial number cannot unmask an anonymous reporter, and what a crafted
 * file hid in its segments is gone. A PDF is checked to be one (header and end marker) and kept
 * as sent: it is only ever served as a download in a sandbox.
 */
export async function processEvidence(bytes: Buffer, decodes = new DecodeGate(DEFAULT_DECODE_CONCURRENCY)): Promise<ProcessedEvidence> {
  const contentType = sniffEvidenceType(bytes);
  if (!contentType) throw unsupported(`The file is not a ${ACCEPTED} file`);
  if (contentType === 'application/pdf') {
    if (!bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1').includes('%%EOF')) throw unsupported('The file is not a complete PDF');
    return { contentType, bytes, thumbnail: null };
  }
  const input = () => sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
  let width: number | undefined;
  let height: number | undefined;
  try {
    // The header alone, without the pixel limit, so that a bomb is named as one rather than as unreadable.
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    throw unsupported(`The file is not a readable ${ACCEPTED} image`);
  }
  if (!width || !height) throw unsupported(`The file is not a readable ${ACCEPTED} image`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AttachmentRefusal(413, 'IMAGE_TOO_LARGE', `The image declares ${width} × ${height} pixels; at most ${MAX_IMAGE_PIXELS} are accepted`);
  }
  return decodes.run(async () => {
    try {
      const upright = input().rotate();
      const encoded =
        contentType === 'image/jpeg' ? upright.jpeg({ quality: 85, mozjpeg: true }) : contentType === 'image/png' ? upright.png() : upright.webp({ quality: 85 });
      const output = await encoded.toBuffer();
      const thumbnail = await sharp(output).resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
      return { contentType, bytes: output, thumbnail: { contentType: 'image/webp' as const, bytes: thumbnail } };
    } catch {
      throw unsupported(`The file is not a readable ${ACCEPTED} image`);
    }
  });
}

/** The name a download is saved under: the uploader's file name without its path, control characters or excess length. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\p{Cc}\p{Cf}"]/gu, '').trim().slice(0, 200);
  return cleaned || 'lampiran';
}

interface ReceivedFile {
  bytes: Buffer;
  filename: string;
}

/**
 * The one file of a `multipart/form-data` body, in the field `file`, read with busboy up to
 * `maxBytes`. A larger one is refused once the rest of the body is drained, so that the client
 * reads the answer instead of a reset connection; a body far beyond the limit is cut off.
 */
function receiveFile(req: Readable & { headers: IncomingHttpHeaders }, maxBytes: number): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 0, parts: 2 } });
    } catch {
      reject(unsupported('Send the file as multipart/form-data in the field "file"'));
      return;
    }
    let received: ReceivedFile | null = null;
    let refusal: AttachmentRefusal | null = null;
    let pending: Promise<void> = Promise.resolve();
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      // Draining is a courtesy to clients a little over the limit, not an invitation to stream gigabytes.
      if (bodyBytes > 2 * maxBytes + 1024 * 1024) req.destroy();
    });
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || received || refusal) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        refusal = new AttachmentRefusal(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`);
      });
      pending = new Promise((done) =>
        stream.on('end', () => {
          if (!refusal) received = { bytes: Buffer.concat(chunks), filename: cleanFilename(info.filename) };
          done();
        }),
      );
    });
    parser.on('error', () => reject(new AttachmentRefusal(400, 'BAD_REQUEST', 'The multipart body is malformed')));
    parser.on('close', () => {
      void pending.then(() => {
        if (refusal) reject(refusal);
        else if (!received) reject(new AttachmentRefusal(400, 'BAD_USER_INPUT', 'Send one file in the field "file"'));
        else resolve(received);
      });
    });
    req.pipe(parser);
  });
}

/** An upload session: the secret that lets its holder name the session's uploads in a submission. */
const UPLOAD_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What the gateway tells the complaints service of a stored upload (`registerAttachmentUpload`). */
export interface UploadRegistration {
  uploadToken: string;
  sha256: string;
  contentType: EvidenceType;
  size: number;
  filename: string;
  thumbnailSha256: string | null;
}

const REGISTER = `mutation Register($input: RegisterAttachmentUploadInput!) {
  registerAttachmentUpload(input: $input) { id }
}`;

export interface AttachmentRoutesOptions {
  storage: AttachmentStorage;
  maxBytes: number;
  urlSecret: Uint8Array;
  /** The complaints service, called as the hub service `gateway`: it records uploads and decides who reads them. */
  complaints: ServiceClient;
  decodes: DecodeGate;
  /** Each client's allowance of uploads and bytes (`openAttachmentLimiters`); null: none. */
  limiters: Pick<AttachmentLimiters, 'uploads' | 'bytes'> | null;
  /** Who sent the request, as the submission limit keys it (`clientIdOf`). */
  clientOf: (req: Request) => Promise<string>;
}

const refuse = (res: Response, refusal: AttachmentRefusal) => {
  if (refusal.retryAfter !== undefined) res.setHeader('retry-after', String(refusal.retryAfter));
  res.status(refusal.status).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
};

const rateLimited = (retryAfter: number, what: string) =>
  new AttachmentRefusal(429, 'RATE_LIMITED', `Too many ${what} from this client; retry in ${retryAfter} s`, retryAfter);

/**
 * Counts an upload against its client's allowance before its body is read, and its bytes once they
 * are, before any decoding or storing: an upload over either is refused (429) and costs nothing
 * of the allowance.
 */
async function admitUpload(limiters: AttachmentRoutesOptions['limiters'], clientId: string, receive: () => Promise<ReceivedFile>): Promise<ReceivedFile> {
  if (!limiters) return receive();
  const uploadsRetry = await consumeOrRetryAfter(limiters.uploads, clientId, 1);
  if (uploadsRetry !== null) {
    logger.warn({ clientId, retryAfter: uploadsRetry }, 'attachment uploads rate limited');
    throw rateLimited(uploadsRetry, 'uploads');
  }
  const file = await receive();
  const bytesRetry = limiters.bytes && (await consumeOrRetryAfter(limiters.bytes, clientId, file.bytes.length));
  if (bytesRetry) {
    await limiters.uploads.reward(clientId, 1);
    logger.warn({ clientId, bytes: file.bytes.length, retryAfter: bytesRetry }, 'attachment bytes rate limited');
    throw rateLimited(bytesRetry, 'bytes uploaded');
  }
  return file;
}

/**
 * `POST /attachments` (evidence upload) and `GET /attachments/<sha256>?…&sig=…` (a signed link
 * the complaints service made for someone who may read the complaint).
 */
export function attachmentRoutes(options: AttachmentRoutesOptions): express.Router {
  const router = express.Router();
  router.post('/attachments', async (req: Request, res: Response) => {
    try {
      const sent = req.get('x-upload-token');
      if (sent !== undefined && !UPLOAD_TOKEN.test(sent)) throw new AttachmentRefusal(400, 'BAD_USER_INPUT', 'X-Upload-Token is not a token this gateway issued');
      const file = await admitUpload(options.limiters, await options.clientOf(req), () => receiveFile(req, options.maxBytes));
      const evidence = await processEvidence(file.bytes, options.decodes);
      const uploadToken = sent ?? randomBytes(32).toString('base64url');
      const sha256 = await options.storage.put(evidence.bytes);
      const thumbnailSha256 = evidence.thumbnail ? await options.storage.put(evidence.thumbnail.bytes) : null;
      const registration: UploadRegistration = { uploadToken, sha256, contentType: evidence.contentType, size: evidence.bytes.length, filename: file.filename, thumbnailSha256 };
      const { registerAttachmentUpload } = await options.complaints.request<{ registerAttachmentUpload: { id: string } }>(REGISTER, { input: registration });
      res.status(201).json({ id: registerAttachmentUpload.id, contentType: evidence.contentType, size: evidence.bytes.length, uploadToken });
    } catch (error) {
      if (error instanceof AttachmentRefusal) return refuse(res, error);
      if (error instanceof ServiceRefusedError) return refuse(res, new AttachmentRefusal(400, error.downstreamCode, error.message));
      logger.warn({ err: error }, 'an attachment upload failed');
      refuse(res, new AttachmentRefusal(503, 'SERVICE_UNAVAILABLE', 'The upload could not be stored; retry'));
    }
  });
  router.get('/attachments/:sha256', async (req: Request<{ sha256: string }>, res: Response) => {
    const check = verifyAttachmentLink(req.params.sha256, req.query, options.urlSecret);
    if (!check.ok) {
      return refuse(res, check.reason === 'expired' ? new AttachmentRefusal(403, 'LINK_EXPIRED', 'This link has expired; open the complaint again for a new one') : new AttachmentRefusal(403, 'FORBIDDEN', 'This link is not valid'));
    }
    const bytes = await options.storage.get(check.link.sha256);
    if (!bytes) return refuse(res, new AttachmentRefusal(404, 'NOT_FOUND', 'This attachment no longer exists'));
    const { contentType, filename, expiresAt } = check.link;
    // A PDF is never shown in the hub's origin (scripts, forms): only saved. Images show inline.
    const disposition = contentType === 'application/pdf' ? 'attachment' : 'inline';
    res.setHeader('content-type', contentType);
    res.setHeader('content-disposition', `${disposition}; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.setHeader('cache-control', `private, max-age=${Math.max(0, expiresAt - Math.floor(Date.now() / 1000))}`);
    res.send(bytes);
  });
  return router;
}

/** The storage `settings` name. */
export function openAttachmentStorage(settings: Pick<AttachmentSettings, 'store'>): AttachmentStorage {
  return settings.store.kind === 'postgres' ? postgresStorage(settings.store.databaseUrl) : filesystemStorage(settings.store.directory);
}

/** How long an upload waits to be named by a submission or follow-up before it is removed. */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

const REMOVE_STALE = `mutation Remove($input: RemoveStaleAttachmentUploadsInput!) {
  removeStaleAttachmentUploads(input: $input) { removed unreferencedSha256 }
}`;

const STALE_BATCH = 500;

/**
 * Removes the uploads never claimed within a day of `now`: the complaints service forgets them and
 * answers which stored files no upload names any more, which are then deleted here. Batches until
 * one comes back short. Replicas may run it together: each batch's rows are taken by one of them.
 * Answers how many uploads were removed.
 */
export async function removeStaleUploads(storage: AttachmentStorage, complaints: ServiceClient, now = new Date()): Promise<number> {
  const uploadedBefore = new Date(now.getTime() - PENDING_UPLOAD_LIFETIME_MS).toISOString();
  let total = 0;
  for (;;) {
    const { removeStaleAttachmentUploads: batch } = await complaints.request<{ removeStaleAttachmentUploads: { removed: number; unreferencedSha256: string[] } }>(REMOVE_STALE, {
      input: { uploadedBefore, first: STALE_BATCH },
    });
    for (const sha256 of batch.unreferencedSha256) await storage.delete(sha256);
    total += batch.removed;
    if (batch.removed < STALE_BATCH) return total;
  }
}

/** `removeStaleUploads` every `everyMs` (an hour by default) in this process; answers the stopper. */
export function scheduleStaleUploadRemoval(storage: AttachmentStorage, complaints: ServiceClient, everyMs = 60 * 60 * 1000): () => void {
  const timer = setInterval(() => {
    removeStaleUploads(storage, complaints).catch((error) => logger.warn({ err: error }, 'removing stale uploads failed; retried at the next tick'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The gateway's evidence: the storage `settings` name (default `DEFAULT_ATTACHMENT_SETTINGS`), the
 * upload and download routes, and the hourly removal of uploads never used. Without
 * `attachmentUrlSecret`, links are checked against a secret of this process, so none verifies.
 */
export async function startEvidence(options: {
  settings?: AttachmentSettings;
  secrets: AuthSecrets & { attachmentUrlSecret?: Uint8Array };
  complaintsUrl: string | undefined;
  /** Each client's allowance of uploads, counted in `rateLimitStore` like submissions; unset or null: none. */
  rateLimit?: AttachmentRateLimit | null;
  rateLimitStore?: RateLimitStore;
  clientOf: (req: Request) => Promise<string>;
}): Promise<{ routes: express.Router; maxBytes: number; stop: () => Promise<void> }> {
  if (!options.complaintsUrl) throw new Error('The supergraph has no complaints subgraph, which records evidence uploads');
  // Every upload is a different photo, so libvips's cache of recent operations (up to 50 MB and 100
  // files by default) never serves a hit: it only keeps decoded pixels alive, which measured as
  // ~70 MiB of the gateway's peak resident memory under a run of 4 concurrent 3-megapixel uploads.
  sharp.cache(false);
  const settings = options.settings ?? DEFAULT_ATTACHMENT_SETTINGS;
  const decodes = new DecodeGate(settings.decodeConcurrency ?? DEFAULT_DECODE_CONCURRENCY);
  const limiters = options.rateLimit ? await openAttachmentLimiters(options.rateLimit, settings.maxBytes, options.rateLimitStore) : null;
  const storage = openAttachmentStorage(settings);
  const complaints = new ServiceClient({ name: 'complaints', url: options.complaintsUrl }, 'gateway', options.secrets);
  const urlSecret = options.secrets.attachmentUrlSecret ?? randomBytes(32);
  const stopRemoval = scheduleStaleUploadRemoval(storage, complaints);
  return {
    routes: attachmentRoutes({ storage, maxBytes: settings.maxBytes, urlSecret, complaints, decodes, limiters, clientOf: options.clientOf }),
    maxBytes: settings.maxBytes,
    async stop() {
      stopRemoval();
      await storage.close();
      await limiters?.close();
    },
  };
}
