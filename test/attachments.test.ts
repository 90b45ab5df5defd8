import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { postgresStorage } from '@lapor-hub/gateway/src/attachment-blob-repository';
import { filesystemStorage, sha256Hex, type AttachmentStorage } from '@lapor-hub/gateway/src/attachment-storage';
import { DecodeGate, removeStaleUploads } from '@lapor-hub/gateway/src/attachments';
import type { AttachmentRateLimit } from '@lapor-hub/gateway/src/submit-rate-limit';
import { ServiceClient, signAttachmentLink, type ServiceHandle } from '@lapor-hub/lib';
import { ExtraGateways } from './support/extra-gateways';
import { latitudeBytes, MODEL, PDF, photoWithGps, SERIAL } from './support/evidence';
import { TestHub } from './support/hub';
import { MUTATIONS, submit } from './support/lifecycle';

/** Evidence through the gateway: upload, metadata removal, who may download, and refusals. */
let hub: TestHub;
let origin: string;
const storageDir = path.join(tmpdir(), `lapor-test-evidence-${randomBytes(6).toString('hex')}`);

/** A valid 1 × 1 PNG whose header (CRC fixed) declares 50,000 × 50,000 pixels. */
async function pngBomb(): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface Uploaded {
  status: number;
  body: { id?: string; contentType?: string; size?: number; uploadToken?: string; errors?: { message: string; extensions: { code: string } }[] };
}

async function upload(bytes: Buffer, filename: string, uploadToken?: string, server = hub): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), filename);
  const response = await fetch(`${new URL(server.gateway.url).origin}/attachments`, { method: 'POST', body: form, headers: uploadToken ? { 'x-upload-token': uploadToken } : {} });
  return { status: response.status, body: (await response.json()) as Uploaded['body'] };
}

async function download(url: string) {
  const response = await fetch(`${origin}${url}`);
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const ATTACHMENTS = `attachments { id filename contentType size url thumbnailUrl }`;
const READ = `query($id: ID!) { complaint(id: $id) { id ${ATTACHMENTS} followUps { id attachments { id filename contentType url } } } }`;

beforeAll(async () => {
  hub = await TestHub.start({ attachments: { store: { kind: 'filesystem', directory: storageDir } } });
  origin = new URL(hub.gateway.url).origin;
});
afterAll(() => hub?.stop());

/** Verified and forwarded to its regency by the regency's admin: the regency's liaison officer is then assigned. */
async function assignToRegency(id: string): Promise<string> {
  const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
  const verified = await hub.query(MUTATIONS.verify, { input: { complaintId: id, version: 1 } }, admin);
  expect(verified.errors).toBeUndefined();
  const forwarded = await hub.query(MUTATIONS.forward, { input: { complaintId: id, version: 2, agencyId: 'region-52.06' } }, admin);
  expect(forwarded.errors).toBeUndefined();
  return hub.token('LIAISON_OFFICER', 'region-52.06');
}

describe('a photo with GPS coordinates and a camera serial, submitted anonymously', () => {
  it('is read back by the assigned officer with no metadata at all', async () => {
    const photo = await photoWithGps();
    // The test means something only if the original carries what must go.
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes(SERIAL)).toBe(true);
    expect(latitudeBytes().some((bytes) => photo.includes(bytes))).toBe(true);

    const uploaded = await upload(photo, 'C:\\Users\\budi\\IMG_2024.jpg');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ contentType: 'image/jpeg', id: expect.any(String), uploadToken: expect.any(String) });
    const complaint = await submit(hub, { anonymous: true, attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });

    const officer = await assignToRegency(complaint.id);
    const { data, errors } = await hub.query(READ, { id: complaint.id }, officer);
    expect(errors).toBeUndefined();
    const [attachment] = data.complaint.attachments;
    // The uploader's file name could name them too: the officer sees a neutral one.
    expect(attachment).toMatchObject({ id: uploaded.body.id, filename: 'lampiran-1.jpg', contentType: 'image/jpeg', size: uploaded.body.size });

    const served = await download(attachment.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('content-disposition')).toMatch(/^inline; filename="lampiran-1.jpg"/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(served.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const metadata = await sharp(served.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 96, height: 64 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.iptc).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    for (const secret of [SERIAL, MODEL, 'KameraTest', ...latitudeBytes()]) expect(served.bytes.includes(secret)).toBe(false);

    const asReporter = await hub.query(`query($t: String!, $r: String) { complaintByTrackingId(trackingId: $t, reporterToken: $r) { attachments { filename } } }`, {
      t: complaint.trackingId,
      r: complaint.reporterToken,
    });
    expect(asReporter.data.complaintByTrackingId.attachments).toEqual([{ filename: 'IMG_2024.jpg' }]);

    const thumbnail = await download(attachment.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
    const thumbnailMetadata = await sharp(thumbnail.bytes).metadata();
    expect(thumbnailMetadata.format).toBe('webp');
    expect(thumbnailMetadata.exif).toBeUndefined();
  });
});

describe('refused uploads', () => {
  it('a text file named .jpg is 415', async () => {
    const refused = await upload(Buffer.from('bukan foto, hanya teks\n'), 'foto.jpg');
    expect(refused.status).toBe(415);
    expect(refused.body.errors?.[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a JPEG header on bytes that are no image is 415', async () => {
    const refused = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]), 'rusak.jpg');
    expect(refused.status).toBe(415);
  });

  it('a PDF without its end is 415; a complete one is accepted', async () => {
    expect((await upload(PDF.subarray(0, 30), 'surat.pdf')).status).toBe(415);
    const accepted = await upload(PDF, 'surat.pdf');
    expect(accepted.status).toBe(201);
    expect(accepted.body.contentType).toBe('application/pdf');
  });

  it('a file over the limit is 413 with a code', async () => {
    const refused = await upload(Buffer.concat([PDF.subarray(0, 9), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20), Buffer.from('%%EOF')]), 'besar.pdf');
    expect(refused.status).toBe(413);
    expect(refused.body.errors?.[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a decompression bomb (a small PNG declaring 50,000 × 50,000) is refused before decoding', async () => {
    const bomb = await pngBomb();
    expect(bomb.length).toBeLessThan(100);
    const refused = await upload(bomb, 'bom.png');
    expect(refused.status).toBe(413);
    expect(refused.body.errors?.[0].extensions.code).toBe('IMAGE_TOO_LARGE');
  });
});

describe('who may download', () => {
  it('the public cannot read a confidential complaint’s attachments, nor get a link for them', async () => {
    const uploaded = await upload(PDF, 'bukti.pdf');
    const complaint = await submit(hub, { confidential: true, attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });
    const asPublic = await hub.query(READ, { id: complaint.id });
    expect(asPublic.errors).toBeUndefined();
    expect(asPublic.data.complaint).toBeNull();
    const byTracking = await hub.query(`query($t: String!) { complaintByTrackingId(trackingId: $t) { ${ATTACHMENTS} } }`, { t: complaint.trackingId });
    expect(byTracking.data.complaintByTrackingId).toBeNull();

    // The reporter, with the token, reads it and gets a working link; PDFs download, never show.
    const asReporter = await hub.query(`query($t: String!, $r: String) { complaintByTrackingId(trackingId: $t, reporterToken: $r) { ${ATTACHMENTS} } }`, {
      t: complaint.trackingId,
      r: complaint.reporterToken,
    });
    const [attachment] = asReporter.data.complaintByTrackingId.attachments;
    expect(attachment.thumbnailUrl).toBeNull();
    const served = await download(attachment.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="bukti.pdf"/);
    expect(served.bytes.equals(PDF)).toBe(true);
  });

  it('an expired link is refused, and so is an altered one', async () => {
    const uploaded = await upload(PDF, 'bukti.pdf');
    const complaint = await submit(hub, { attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });
    const { data } = await hub.query(READ, { id: complaint.id });
    const url = new URL(data.complaint.attachments[0].url, origin);
    const sha256 = url.pathname.split('/').pop()!;

    const expired = signAttachmentLink({ sha256, contentType: 'application/pdf', filename: 'bukti.pdf', expiresAt: Math.floor(Date.now() / 1000) - 1 }, hub.secrets.attachmentUrlSecret);
    const refused = await download(expired);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.bytes.toString()).errors[0].extensions.code).toBe('LINK_EXPIRED');

    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    const altered = await download(`${url.pathname}${url.search}`);
    expect(altered.status).toBe(403);
    expect(JSON.parse(altered.bytes.toString()).errors[0].extensions.code).toBe('FORBIDDEN');

    const inline = new URL(data.complaint.attachments[0].url, origin);
    inline.searchParams.set('type', 'text/html');
    expect((await download(`${inline.pathname}${inline.search}`)).status).toBe(403);
  });
});

describe('claiming uploads', () => {
  const COUNT = `select count(*)::int as n from complaints.complaint`;

  it('an attachmentId used twice is BAD_USER_INPUT naming the field, and nothing is stored', async () => {
    const uploaded = await upload(PDF, 'bukti.pdf');
    await submit(hub, { attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });
    const [before] = await hub.sql<{ n: number }>('complaints', COUNT);
    const again = await hub.query(`mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`, {
      input: { type: 'COMPLAINT', title: 'Lagi', body: 'Bukti yang sama.', channel: 'WEB', attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken },
    });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachmentIds' });
    const [after] = await hub.sql<{ n: number }>('complaints', COUNT);
    expect(after.n).toBe(before.n);
  });

  it('an upload of another session, an unknown id, more than 5 files or no token are BAD_USER_INPUT', async () => {
    const mine = await upload(PDF, 'a.pdf');
    const theirs = await upload(PDF, 'b.pdf');
    const submitWith = (input: Record<string, unknown>) =>
      hub.query(`mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`, {
        input: { type: 'COMPLAINT', title: 'Bukti', body: 'Bukti.', channel: 'WEB', ...input },
      });
    const [before] = await hub.sql<{ n: number }>('complaints', COUNT);
    const other = await submitWith({ attachmentIds: [mine.body.id, theirs.body.id], uploadToken: mine.body.uploadToken });
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachmentIds' });
    const unknown = await submitWith({ attachmentIds: ['00000000-0000-4000-8000-000000000000'], uploadToken: mine.body.uploadToken });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachmentIds' });
    const many = await submitWith({ attachmentIds: ['1', '2', '3', '4', '5', '6'], uploadToken: mine.body.uploadToken });
    expect(many.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachmentIds' });
    const tokenless = await submitWith({ attachmentIds: [mine.body.id] });
    expect(tokenless.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.uploadToken' });
    const [after] = await hub.sql<{ n: number }>('complaints', COUNT);
    expect(after.n).toBe(before.n);
    // The refused submissions claimed nothing: the upload is still its session's to use.
    const [row] = await hub.sql<{ complaint_id: string | null }>('complaints', 'select complaint_id from complaints.attachment where id = $1', [mine.body.id]);
    expect(row.complaint_id).toBeNull();
  });

  it('several uploads of one session go with one submission', async () => {
    const first = await upload(PDF, 'a.pdf');
    const second = await upload(await photoWithGps(), 'b.jpg', first.body.uploadToken);
    expect(second.body.uploadToken).toBe(first.body.uploadToken);
    const complaint = await submit(hub, { attachmentIds: [first.body.id, second.body.id], uploadToken: first.body.uploadToken });
    const { data } = await hub.query(READ, { id: complaint.id });
    expect(data.complaint.attachments.map((attachment: { id: string }) => attachment.id).sort()).toEqual([first.body.id, second.body.id].sort());
  });
});

describe('a follow-up with evidence', () => {
  it('carries the node’s proof of repair, which the reporter reads', async () => {
    const complaint = await submit(hub);
    const officer = await assignToRegency(complaint.id);
    const proof = await upload(await photoWithGps(), 'perbaikan.jpg');
    const posted = await hub.query(
      MUTATIONS.followUp,
      { input: { complaintId: complaint.id, version: 3, body: 'Jembatan sudah diperbaiki.', attachmentIds: [proof.body.id], uploadToken: proof.body.uploadToken } },
      officer,
    );
    expect(posted.errors).toBeUndefined();
    const asReporter = await hub.query(
      `query($t: String!, $r: String) { complaintByTrackingId(trackingId: $t, reporterToken: $r) { ${ATTACHMENTS} followUps { attachments { id filename url } } } }`,
      { t: complaint.trackingId, r: complaint.reporterToken },
    );
    expect(asReporter.data.complaintByTrackingId.attachments).toEqual([]);
    const [evidence] = asReporter.data.complaintByTrackingId.followUps[0].attachments;
    expect(evidence).toMatchObject({ id: proof.body.id, filename: 'perbaikan.jpg' });
    expect((await download(evidence.url)).status).toBe(200);
  });

  it('an officer of another node cannot read them', async () => {
    const uploaded = await upload(PDF, 'bukti.pdf');
    const complaint = await submit(hub, { confidential: true, attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });
    const stranger = await hub.token('LIAISON_OFFICER', 'region-52.01');
    const read = await hub.query(READ, { id: complaint.id }, stranger);
    // Not theirs reads as none: no complaint, so no attachments and no link.
    expect(read.data?.complaint ?? null).toBeNull();
  });
});

describe.each([
  ['the filesystem', () => filesystemStorage(path.join(tmpdir(), `lapor-test-storage-${randomBytes(6).toString('hex')}`))],
  ['PostgreSQL', () => postgresStorage(hub.databases.urls.complaints)],
])('the storage in %s', (_name, open: () => AttachmentStorage) => {
  let storage: AttachmentStorage;
  beforeAll(() => (storage = open()));
  afterAll(() => storage.close());

  it('keeps bytes under their SHA-256, once, until deleted', async () => {
    const bytes = randomBytes(2048);
    const sha256 = await storage.put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(await storage.put(bytes)).toBe(sha256);
    expect((await storage.get(sha256))?.equals(bytes)).toBe(true);
    await storage.delete(sha256);
    expect(await storage.get(sha256)).toBeNull();
    expect(await storage.get(sha256Hex(randomBytes(8)))).toBeNull();
  });
});

describe('uploads never used', () => {
  const uniquePdf = () => Buffer.concat([PDF.subarray(0, 9), Buffer.from(`% ${randomBytes(8).toString('hex')}\n`), PDF.subarray(9)]);

  it('are removed after a day with their files; a used one and its file stay', async () => {
    const storage = filesystemStorage(storageDir);
    const unused = await upload(uniquePdf(), 'lupa.pdf');
    const used = await upload(uniquePdf(), 'pakai.pdf');
    await submit(hub, { attachmentIds: [used.body.id], uploadToken: used.body.uploadToken });
    const hashes = await hub.sql<{ id: string; sha256: string }>('complaints', 'select id, sha256 from complaints.attachment where id = any($1::uuid[])', [[unused.body.id, used.body.id]]);
    const sha256Of = (id?: string) => hashes.find((row) => row.id === id)!.sha256;
    expect(await storage.get(sha256Of(unused.body.id))).not.toBeNull();

    const gateway = new ServiceClient({ name: 'complaints', url: hub.subgraphs.complaints.url }, 'gateway', hub.secrets);
    // A fresh upload is kept: a citizen may take a while to write the complaint.
    await removeStaleUploads(storage, gateway);
    expect(await storage.get(sha256Of(unused.body.id))).not.toBeNull();

    await hub.sql('complaints', `update complaints.attachment set uploaded_at = now() - interval '25 hours' where id = any($1::uuid[])`, [[unused.body.id, used.body.id]]);
    expect(await removeStaleUploads(storage, gateway)).toBe(1);
    const left = await hub.sql<{ id: string }>('complaints', 'select id from complaints.attachment where id = any($1::uuid[])', [[unused.body.id, used.body.id]]);
    expect(left.map((row) => row.id)).toEqual([used.body.id]);
    expect(await storage.get(sha256Of(unused.body.id))).toBeNull();
    expect(await storage.get(sha256Of(used.body.id))).not.toBeNull();
  });

  it('the upload registry answers the gateway only', async () => {
    const input = { uploadToken: 'a'.repeat(43), sha256: 'a'.repeat(64), contentType: 'application/pdf', size: 1, filename: 'x.pdf' };
    const query = 'mutation($input: RegisterAttachmentUploadInput!) { registerAttachmentUpload(input: $input) { id } }';
    const asPublic = await hub.querySubgraph('complaints', query, { input });
    expect(asPublic.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const asEscalation = await hub.querySubgraph('complaints', query, { input }, { kind: 'service', name: 'escalation' });
    expect(asEscalation.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const throughGateway = await hub.query(query, { input });
    expect(throughGateway.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the upload rate limit', () => {
  const gateways = new ExtraGateways();
  const limitedDir = path.join(tmpdir(), `lapor-test-limited-${randomBytes(6).toString('hex')}`);
  const uniquePdf = (padding = 0) => Buffer.concat([PDF.subarray(0, 9), Buffer.from(`% ${randomBytes(8).toString('hex')}\n`), Buffer.alloc(padding, 0x20), PDF.subarray(9)]);
  const limitedGateway = (attachmentRateLimit: AttachmentRateLimit) =>
    gateways.start(hub, { attachmentRateLimit, attachments: { store: { kind: 'filesystem', directory: limitedDir }, maxBytes: 100_000 } });
  const uploadTo = async (gateway: ServiceHandle, bytes: Buffer, headers: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'bukti.pdf');
    const response = await fetch(`${new URL(gateway.url).origin}/attachments`, { method: 'POST', body: form, headers });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Uploaded['body'] };
  };
  const stored = async () => {
    const [{ n }] = await hub.sql<{ n: number }>('complaints', 'select count(*)::int as n from complaints.attachment');
    const files = await readdir(limitedDir, { recursive: true }).catch(() => []);
    return { rows: n, files: files.filter((name) => /[0-9a-f]{64}$/.test(String(name))).length };
  };
  const expectLimited = (refused: Awaited<ReturnType<typeof uploadTo>>, what: RegExp) => {
    expect(refused.status).toBe(429);
    expect(refused.body.errors).toEqual([{ message: expect.stringMatching(what), extensions: { code: 'RATE_LIMITED' } }]);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
  };
  afterAll(() => gateways.stopAll());

  it('refuses a client’s upload over its allowance, storing nothing; another client still uploads', async () => {
    const limited = await limitedGateway({ perMinute: 2 });
    expect((await uploadTo(limited, uniquePdf())).status).toBe(201);
    expect((await uploadTo(limited, uniquePdf())).status).toBe(201);
    const before = await stored();
    expectLimited(await uploadTo(limited, uniquePdf()), /Too many uploads/);
    expectLimited(await uploadTo(limited, await photoWithGps()), /Too many uploads/);
    expect(await stored()).toEqual(before);

    // An officer (the liaison officer posting proof of repair) is counted by their token, not the IP.
    const officer = await hub.token('LIAISON_OFFICER', 'region-52.06', 'petugas-upload');
    expect((await uploadTo(limited, uniquePdf(), { authorization: `Bearer ${officer}` })).status).toBe(201);
    // A token that does not verify is no way around it: it counts as the IP it comes from.
    expectLimited(await uploadTo(limited, uniquePdf(), { authorization: 'Bearer palsu' }), /Too many uploads/);
  });

  it('counts the bytes uploaded too; a refused file costs nothing of the allowance', async () => {
    const limited = await limitedGateway({ perMinute: 10, bytesPerMinute: 100_000 });
    expect((await uploadTo(limited, uniquePdf(60_000))).status).toBe(201);
    const before = await stored();
    expectLimited(await uploadTo(limited, uniquePdf(60_000)), /Too many bytes/);
    expect(await stored()).toEqual(before);
    // 40,000 bytes are left: the refused 60,000 were given back.
    expect((await uploadTo(limited, uniquePdf(30_000))).status).toBe(201);
  });

  it('a byte allowance below the largest file accepted is a configuration error', async () => {
    await expect(limitedGateway({ perMinute: 10, bytesPerMinute: 99_999 })).rejects.toThrow(/at least the largest file accepted/);
  });
});

describe('image decodes', () => {
  it('run a few at a time; a burst beyond what may wait is refused with SERVICE_BUSY and retry-after', async () => {
    const gate = new DecodeGate(2);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const decode = () =>
      gate.run(async () => {
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    // 2 decoding and 8 waiting are held; the 11th is refused at once.
    const held = Array.from({ length: 10 }, decode);
    await expect(decode()).rejects.toMatchObject({ status: 503, code: 'SERVICE_BUSY', retryAfter: 2 });
    for (let done = 0; done < 10; done++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()!();
    }
    await Promise.all(held);
    expect(most).toBe(2);
  });
});

describe('uploads from an integrated channel’s web page (CORS)', () => {
  const CHANNEL = 'https://lapor.bima.go.id';
  const gateways = new ExtraGateways();
  let withCors: string;
  beforeAll(async () => {
    const gateway = await gateways.start(hub, { corsOrigins: [CHANNEL], attachments: { store: { kind: 'filesystem', directory: storageDir }, maxBytes: 10 * 1024 * 1024 } });
    withCors = new URL(gateway.url).origin;
  });
  afterAll(() => gateways.stopAll());

  /** What Chromium sends before a `fetch` with an `X-Upload-Token` header from a page of `origin`. */
  const preflight = (url: string, origin: string, method = 'POST') =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'x-upload-token' } });
  const uploadFrom = async (origin: string, headers: Record<string, string> = {}, url = `${withCors}/attachments`) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PDF)]), 'bukti.pdf');
    return fetch(url, { method: 'POST', body: form, headers: { origin, ...headers } });
  };

  it('a listed origin’s preflight is allowed, its upload readable; another origin gets no CORS header', async () => {
    const allowed = await preflight(`${withCors}/attachments`, CHANNEL);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CHANNEL);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-upload-token/);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

    const first = await uploadFrom(CHANNEL);
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe(CHANNEL);
    const { uploadToken } = (await first.json()) as { uploadToken: string };
    const second = await uploadFrom(CHANNEL, { 'x-upload-token': uploadToken });
    expect(second.status).toBe(201);
    expect(second.headers.get('access-control-allow-origin')).toBe(CHANNEL);

    for (const url of [`${withCors}/attachments`, `${origin}/attachments`]) {
      const refused = await preflight(url, 'https://evil.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      // A multipart upload needs no preflight; the page of another origin cannot read what it got.
      const unread = await uploadFrom('https://evil.example', {}, url);
      expect(unread.headers.get('access-control-allow-origin')).toBeNull();
    }
    // The hub's own gateway lists no origin at all.
    expect((await preflight(`${origin}/attachments`, CHANNEL)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a signed download link stays same-origin: no CORS, not embeddable elsewhere, never sniffed or run', async () => {
    const uploaded = await upload(await photoWithGps(), 'foto.jpg');
    const complaint = await submit(hub, { attachmentIds: [uploaded.body.id], uploadToken: uploaded.body.uploadToken });
    const { data } = await hub.query(READ, { id: complaint.id });
    const link = `${withCors}${data.complaint.attachments[0].url}`;

    const preflighted = await preflight(link, CHANNEL, 'GET');
    expect(preflighted.headers.get('access-control-allow-origin')).toBeNull();
    const served = await fetch(link, { headers: { origin: CHANNEL } });
    expect(served.status).toBe(200);
    expect(served.headers.get('access-control-allow-origin')).toBeNull();
    expect(served.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('x-frame-options')).toBe('DENY');
    expect(served.headers.get('content-disposition')).toMatch(/^inline; filename="foto.jpg"/);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });
});
