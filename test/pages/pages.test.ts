import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { pageBundle } from '@lapor-hub/gateway/src/pages';
import { readCommittedSupergraph, SUBGRAPH_NAMES, type ServiceHandle } from '@lapor-hub/lib';
import { PDF, photoWithGps, SERIAL } from '../support/evidence';
import { NATIONAL_ID, TestHub } from '../support/hub';
import { attributeSoon, DESKTOP, eventually, focusedSoon, hubContext, launchBrowser, overflowsHorizontally, PHONE, screenshot, seriousViolations, textSoon } from './support/browser';

// The pages through the gateway on the real database, in Debian's Chromium: a citizen on a phone,
// officers at a desk (development sign-in; OIDC is test/pages/oidc.test.ts), the dashboard.
let hub: TestHub;
let browser: Browser;
let origin: string;
const errors: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [hub, browser] = await Promise.all([TestHub.start(), launchBrowser()]);
  origin = new URL(hub.gateway.url).origin;
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await hub?.stop();
});

afterEach(() => {
  const seen = errors.splice(0);
  expect(seen).toEqual([]);
});

async function open(viewport = DESKTOP, locale?: string): Promise<{ context: BrowserContext; page: Page }> {
  const { context, errors: seen } = await hubContext(browser, origin, viewport, locale);
  contexts.push(context);
  // Every context's errors land in the one list the afterEach checks.
  const push = seen.push.bind(seen);
  seen.push = (...items: string[]) => (errors.push(...items), push(...items));
  return { context, page: await context.newPage() };
}

/** Accessible (no serious or critical axe violation), fits the viewport, then photographed. */
async function check(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  expect(await overflowsHorizontally(page)).toBe(false);
  await screenshot(page, name);
}

/** The same page at the other size, with the same session, for its screenshot (and its own checks). */
async function alsoAt(context: BrowserContext, url: string, viewport: typeof PHONE, name: string, ready: string): Promise<void> {
  const other = await open(viewport);
  await other.context.addCookies(await context.cookies());
  await other.page.goto(url);
  await other.page.waitForSelector(ready);
  await check(other.page, name);
  await other.context.close();
}

async function pick(page: Page, label: string, search: string, agencyId: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(search);
  await page.locator(`button[data-agency-id="${agencyId}"]`).click();
}

async function devSignIn(page: Page, role: string, search: string, agencyId: string, path = '/console'): Promise<void> {
  await page.goto(`${origin}${path}`);
  if (!page.url().includes('/console/sign-in') && !(await page.getByRole('heading', { name: 'Masuk', exact: true }).count())) return;
  await page.getByLabel('Peran').selectOption(role);
  await pick(page, 'Instansi', search, agencyId);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

/** Until the image has loaded and has pixels (the signed link worked under the pages' CSP). */
const imageShown = (image: Locator) => eventually('the image', () => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0));

/** A signed attachment link of the page, fetched as anyone holding it would. */
async function downloaded(page: Page, selector: string): Promise<{ headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${origin}${await page.getAttribute(selector, 'href')}`);
  expect(response.status).toBe(200);
  return { headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const citizen: { trackingId?: string; token?: string } = {};
const EVIDENCE = 'Foto atau PDF sebagai bukti (boleh dikosongkan)';
const PROOF = 'Bukti, misalnya foto perbaikan (boleh dikosongkan; dilihat pelapor)';

test('a citizen submits with a photo on a 360-pixel viewport and is shown the tracking id and the token once', async () => {
  const { page } = await open({ width: 360, height: 800 });
  const uploads: number[] = [];
  page.on('response', (response) => void (response.request().method() === 'POST' && new URL(response.url()).pathname === '/attachments' && uploads.push(response.status())));
  await page.goto(`${origin}/`);
  expect(await page.getAttribute('html', 'lang')).toBe('id');
  await page.waitForSelector('form');
  await check(page, 'portal-submit-phone');

  // The form checks what the API checks, and shows it next to the field, in Indonesian.
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await focusedSoon(page.getByLabel('Judul laporan'));
  expect(await page.locator('[aria-invalid="true"]').count()).toBe(2);
  expect(await page.textContent('#' + (await page.getByLabel('Judul laporan').getAttribute('id')) + '-error')).toContain('Judul wajib diisi');

  await page.getByLabel('Judul laporan').fill('Jalan desa rusak');
  await page.getByLabel('Isi laporan').fill('Jalan penghubung Desa Sape rusak sejak musim hujan.');
  await page.getByLabel('Kategori').selectOption('INFRASTRUCTURE');
  await pick(page, 'Lokasi kejadian', 'Bima', 'region-52.06');
  await textSoon(page.locator('.picker-chosen'), 'Kabupaten Bima (52.06)');
  await page.getByLabel('Nama', { exact: true }).fill('Siti');

  // Evidence: the limit and what becomes of a photo's metadata are said before the choice.
  const evidence = page.getByLabel(EVIDENCE);
  const hints = await evidence.evaluate((input) => input.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '));
  expect(hints).toContain('masing-masing paling besar 10 MB');
  expect(hints).toContain('lokasi (GPS) serta merek dan nomor seri kamera dihapus');
  // A "photo" that is text: the gateway's 415, in Indonesian at the field; nothing typed is lost.
  await evidence.setInputFiles({ name: 'catatan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('bukan foto, hanya teks\n') });
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await attributeSoon(evidence, 'aria-invalid', 'true');
  expect(await page.locator('.field-error', { hasText: 'catatan.jpg bukan foto JPEG, PNG atau WebP' }).count()).toBe(1);
  expect(await page.getByTestId('chosen-file').count()).toBe(0);
  expect(await page.inputValue('input[data-api-field="input.title"]')).toBe('Jalan desa rusak');
  // Chromium logs the refused request itself: the one console error this page may show, and only it.
  await eventually("Chromium's log of the 415", async () => errors.length > 0);
  expect(errors.splice(0)).toEqual([expect.stringMatching(/Failed to load resource: .*status of 415/)]);
  // A phone's photo, with its GPS position and the camera's serial, and a PDF removed again by keyboard.
  await evidence.setInputFiles([
    { name: 'IMG_2024.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() },
    { name: 'surat.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await textSoon(page.locator('.evidence [role="status"]'), '2 dari 5 berkas dipilih');
  await page.getByRole('button', { name: 'Hapus surat.pdf' }).focus();
  await page.keyboard.press('Enter');
  await textSoon(page.locator('.evidence [role="status"]'), 'surat.pdf dihapus dari lampiran');
  expect(await page.getByTestId('chosen-file').allTextContents()).toEqual([expect.stringContaining('IMG_2024.jpg')]);
  await check(page, 'portal-evidence-phone');

  // An address the browser-side check lets through and the API refuses: its coded error, in Indonesian, at the field.
  await page.getByLabel('Surel (e-mail)').fill('siti@desa.x');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await attributeSoon(page.getByLabel('Surel (e-mail)'), 'aria-invalid', 'true');
  expect(await page.locator('.field-error', { hasText: 'Alamat surel tidak valid' }).count()).toBe(1);
  await page.getByLabel('Surel (e-mail)').fill('siti@desa.example.id');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();

  await page.waitForSelector('[data-testid="reporter-token"]');
  // The photo went up once: the refused address did not cost a second upload.
  expect(uploads).toEqual([415, 201]);
  citizen.trackingId = (await page.textContent('[data-testid="tracking-id"]'))!;
  citizen.token = (await page.textContent('[data-testid="reporter-token"]'))!;
  expect(citizen.trackingId).toMatch(/^LPR-/);
  expect(await page.textContent('.warning')).toContain('hanya ditampilkan sekali');
  expect(await page.textContent('.receipt')).toContain('Kabupaten Bima');
  await check(page, 'portal-receipt-phone');
  const stored = await hub.query('query($t: String!, $s: String!) { complaintByTrackingId(trackingId: $t, reporterToken: $s) { channel regionCode category { id } reporter { email } attachments { filename contentType } } }', { t: citizen.trackingId, s: citizen.token });
  expect(stored.data.complaintByTrackingId).toEqual({ channel: 'WEB', regionCode: '52.06', category: { id: 'INFRASTRUCTURE' }, reporter: { email: 'siti@desa.example.id' }, attachments: [{ filename: 'IMG_2024.jpg', contentType: 'image/jpeg' }] });

  // Following it: the timeline and the verification deadline in WITA (Bima is in NTB) with its countdown.
  await page.getByTestId('follow-link').click();
  await page.waitForSelector('[data-testid="status"]');
  expect(await page.textContent('[data-testid="status"]')).toBe('Diterima');
  expect(await page.textContent('.facts')).toMatch(/Batas verifikasi.*WITA.*hari kerja/);
  await imageShown(page.locator('[data-testid="attachments"] img'));
  await check(page, 'portal-track-phone');

  const desktop = await open(DESKTOP);
  await desktop.page.goto(`${origin}/`);
  await desktop.page.waitForSelector('form');
  await check(desktop.page, 'portal-submit-desktop');
});

test('an admin signs in (development sign-in), verifies and forwards; a CONFLICT keeps the text; the liaison officer follows up', async () => {
  const { context, page } = await open(DESKTOP);
  await page.goto(`${origin}/console`);
  await page.waitForSelector('form.sign-in');
  await check(page, 'console-sign-in-desktop');
  await devSignIn(page, 'AGENCY_ADMIN', 'Bima', 'region-52.06');
  await page.waitForSelector('[data-testid="inbox-item"]');
  expect(await page.textContent('[data-testid="viewer-node"]')).toBe('Kabupaten Bima');
  expect(await page.textContent('[data-testid="inbox-count"]')).toBe('1 laporan');
  await check(page, 'console-inbox-desktop');
  await alsoAt(context, `${origin}/console`, PHONE, 'console-inbox-phone', '[data-testid="inbox-item"]');

  // Filters: none forwarded yet.
  await page.getByLabel('Status').selectOption('FORWARDED');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await textSoon(page.getByTestId('inbox-count'), '0 laporan');
  await page.getByLabel('Status').selectOption('SUBMITTED');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await page.getByRole('link', { name: new RegExp(citizen.trackingId!) }).click();

  await page.waitForSelector('form[data-action="verify"]');
  expect(await page.textContent('[data-testid="countdown"]')).toMatch(/hari kerja|hari ini/);
  await page.locator('form[data-action="verify"] textarea').fill('Lengkap dan jelas.');
  await page.getByRole('button', { name: 'Verifikasi', exact: true }).click();
  await textSoon(page.getByTestId('status'), 'Terverifikasi');

  // The citizen's photo, as the officer gets it: shown, and without a byte of its metadata.
  await imageShown(page.locator('[data-testid="attachments"] img'));
  const photo = await downloaded(page, '[data-testid="attachments"] a');
  expect(photo.headers.get('content-type')).toBe('image/jpeg');
  const metadata = await sharp(photo.bytes).metadata();
  expect(metadata).toMatchObject({ format: 'jpeg', width: 96, height: 64 });
  expect([metadata.exif, metadata.xmp, metadata.iptc]).toEqual([undefined, undefined, undefined]);
  expect(photo.bytes.includes(SERIAL)).toBe(false);

  // Someone else forwards it meanwhile: this officer's forward is refused as stale, and the note stays.
  const complaintId = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('complaint')!;
  await pick(page, 'Teruskan ke', 'Bima', 'region-52.06');
  await page.locator('form[data-action="forward"] textarea[name="note"]').fill('Mohon segera ditangani Dinas PU.');
  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  const forwarded = await hub.query('mutation($id: ID!) { forwardComplaint(input: { complaintId: $id, version: 2, agencyId: "region-52.06" }) { complaint { version } } }', { id: complaintId }, national);
  expect(forwarded.data.forwardComplaint.complaint.version).toBe(3);
  await page.getByRole('button', { name: 'Teruskan', exact: true }).click();
  await textSoon(page.locator('form[data-action="forward"] [role="alert"]'), /Orang lain telah mengubah laporan ini/);
  expect(await page.inputValue('form[data-action="forward"] textarea[name="note"]')).toBe('Mohon segera ditangani Dinas PU.');
  await page.getByTestId('reload').click();
  await textSoon(page.getByTestId('status'), 'Diteruskan');
  expect(await page.textContent('[data-testid="version"]')).toBe('3');
  expect(await page.inputValue('form[data-action="forward"] textarea[name="note"]')).toBe('Mohon segera ditangani Dinas PU.');
  await check(page, 'console-complaint-desktop');
  await alsoAt(context, page.url(), PHONE, 'console-complaint-phone', '[data-testid="status"]');

  // The liaison officer of the node; an expired session sends them to sign-in and keeps their text.
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.waitForSelector('form.sign-in');
  await devSignIn(page, 'LIAISON_OFFICER', 'Bima', 'region-52.06', `/console#complaint=${complaintId}`);
  await page.waitForSelector('form[data-action="followUp"]');
  await page.getByLabel('Tindak lanjut (dibaca pelapor)').fill('Perbaikan jalan dijadwalkan minggu depan.');
  // Proof of the work, a PDF: uploaded when the follow-up is sent, and kept through the sign-in like the text.
  await page.getByLabel(PROOF).setInputFiles({ name: 'berita-acara-perbaikan.pdf', mimeType: 'application/pdf', buffer: PDF });
  expect(await seriousViolations(page)).toEqual([]);
  await context.clearCookies();
  await page.getByRole('button', { name: 'Kirim tindak lanjut' }).click();
  await page.waitForURL(/\/console\/sign-in\?return=/);
  expect(await page.textContent('[role="alert"]')).toContain('Sesi Anda telah berakhir');
  await page.getByLabel('Peran').selectOption('LIAISON_OFFICER');
  await pick(page, 'Instansi', 'Bima', 'region-52.06');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForSelector('form[data-action="followUp"]');
  expect(await page.inputValue('form[data-action="followUp"] textarea[name="body"]')).toBe('Perbaikan jalan dijadwalkan minggu depan.');
  expect(await page.getByTestId('chosen-file').textContent()).toMatch(/berita-acara-perbaikan\.pdf.*terunggah/);
  await page.getByRole('button', { name: 'Kirim tindak lanjut' }).click();
  await textSoon(page.getByTestId('status'), 'Ditindaklanjuti');
  await textSoon(page.locator('.follow-ups [data-content-type="application/pdf"]'), 'Unduh berita-acara-perbaikan.pdf');
  await check(page, 'console-follow-up-desktop');
  const timeline = await hub.query('query($id: ID!) { complaint(id: $id) { timeline { action actorRole } } }', { id: complaintId }, national);
  expect(timeline.data.complaint.timeline.map((entry: { action: string }) => entry.action)).toEqual(['SUBMIT', 'VERIFY', 'FORWARD', 'FOLLOW_UP']);
});

test('the citizen reads the follow-up and replies satisfied', async () => {
  const { page } = await open(PHONE);
  await page.goto(`${origin}/#lacak`);
  await page.getByLabel('Nomor laporan').fill(citizen.trackingId!);
  await page.getByLabel('Kode rahasia pelapor').fill(citizen.token!);
  await page.getByRole('button', { name: 'Lihat laporan' }).click();
  await page.waitForSelector('form.reply');
  expect(await page.textContent('.follow-ups')).toContain('Perbaikan jalan dijadwalkan');
  // Both pieces of evidence: their own photo, and the node's proof as a download.
  await imageShown(page.locator('[data-testid="attachments"] img').first());
  const proof = await downloaded(page, '.follow-ups [data-content-type="application/pdf"] a');
  expect(proof.headers.get('content-disposition')).toMatch(/^attachment; filename="berita-acara-perbaikan.pdf"/);
  expect(proof.bytes.equals(PDF)).toBe(true);
  await check(page, 'portal-reply-phone');
  await page.getByLabel('Tanggapan Anda').fill('Terima kasih, sudah diperbaiki.');
  await page.getByLabel('4 — baik').check();
  await page.getByRole('button', { name: 'Kirim tanggapan' }).click();
  await textSoon(page.getByTestId('status'), 'Selesai');
  expect(await page.textContent('.timeline')).toContain('Pelapor puas');
  const token = await hub.token('DASHBOARD', NATIONAL_ID);
  const year = new Date().getFullYear();
  const rated = await hub.query('query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) { stats { averageRating ratings { rating count } } } }', { from: `${year}-01-01T00:00:00+07:00`, to: `${year + 1}-01-01T00:00:00+07:00` }, token);
  expect(rated.data.nationalDashboard.stats.averageRating).toBe(4);
  expect(rated.data.nationalDashboard.stats.ratings.find((row: { rating: number }) => row.rating === 4).count).toBe(1);
});

test('the national dashboard shows the API figures, draws its charts, and downloads the CSV', async () => {
  const { context, page } = await open(DESKTOP);
  await page.goto(`${origin}/dashboard`);
  await page.getByRole('link', { name: 'Masuk', exact: true }).click();
  await devSignIn(page, 'DASHBOARD', 'LAPOR', NATIONAL_ID, '/console/sign-in?return=/dashboard');
  await page.waitForURL(/\/dashboard$/);
  await page.waitForSelector('[data-testid="completion-rate"]');
  const year = new Date().getFullYear();
  const token = await hub.token('DASHBOARD', NATIONAL_ID);
  const api = await hub.query(
    'query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) { stats { total forwarded closed completionRate averageRating ratings { rating count } overdue { verification followUp } } provinces { agency { name } } regenciesAndCities { agency { name } completionRate averageRating ratingCount ratingRank } } }',
    { from: `${year}-01-01T00:00:00+07:00`, to: `${year + 1}-01-01T00:00:00+07:00` },
    token,
  );
  const { stats, provinces, regenciesAndCities } = api.data.nationalDashboard;
  const number = new Intl.NumberFormat('id-ID');
  const percent = new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 });
  expect(await page.textContent('[data-testid="total"]')).toBe(number.format(stats.total));
  expect(await page.textContent('[data-testid="forwarded"]')).toBe(number.format(stats.forwarded));
  expect(await page.textContent('[data-testid="closed"]')).toBe(number.format(stats.closed));
  expect(await page.textContent('[data-testid="overdue-verification"]')).toBe(number.format(stats.overdue.verification));
  expect(await page.textContent('[data-testid="overdue-follow-up"]')).toBe(number.format(stats.overdue.followUp));
  expect(await page.textContent('[data-testid="completion-rate"]')).toBe(stats.completionRate === null ? '—' : percent.format(stats.completionRate));
  expect(stats.total).toBeGreaterThanOrEqual(1);
  expect(await page.locator('[data-testid="ranking-provinces"] tbody tr').count()).toBe(Math.max(1, Math.min(provinces.length, 15)));
  expect(regenciesAndCities[0]).toEqual({ agency: { name: 'Kabupaten Bima' }, completionRate: 1, averageRating: 4, ratingCount: 1, ratingRank: 1 });
  expect(await page.textContent('[data-testid="ranking-regencies"] tbody tr')).toBe(`1Kabupaten Bima11${percent.format(1)}4,011`);
  // The reporters' ratings: the API's mean, and one bar per value with its count.
  const rating = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  expect(await page.textContent('[data-testid="average-rating"]')).toBe(rating.format(stats.averageRating));
  for (const row of stats.ratings) expect(await page.textContent(`[data-testid="rating-distribution"] [data-rating="${row.rating}"] .rating-count`)).toBe(number.format(row.count));
  // chart.js drew on every canvas.
  await page.waitForFunction(() => document.querySelectorAll('canvas').length === 3 && [...document.querySelectorAll('canvas')].every((canvas) => canvas.width > 0));
  await check(page, 'dashboard-desktop');
  await alsoAt(context, page.url(), PHONE, 'dashboard-phone', '[data-testid="completion-rate"]');

  const href = await page.getAttribute('[data-testid="csv"]', 'href');
  const csv = await context.request.get(`${origin}${href}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).split('\r\n')[0]).toBe('ranking,rank,agencyId,agency,kind,forwarded,closed,completionRate');

  // By region: a province, then one of its regencies, from the directory's regions; the figures are the API's for that region.
  await page.getByLabel('Provinsi', { exact: true }).selectOption('52');
  await eventually('the province’s regencies', async () => (await page.getByLabel('Kabupaten/kota', { exact: true }).locator('option[value="52.06"]').count()) === 1);
  await page.getByLabel('Kabupaten/kota', { exact: true }).selectOption('52.06');
  await page.getByRole('button', { name: 'Tampilkan', exact: true }).click();
  await page.waitForURL(/region=52\.06/);
  const regional = await hub.query(
    'query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to, regionCode: "52.06") { stats { total forwarded closed completionRate overdue { verification followUp } } provinces { rank } regenciesAndCities { agency { name } } ministries { rank } } }',
    { from: `${year}-01-01T00:00:00+07:00`, to: `${year + 1}-01-01T00:00:00+07:00` },
    token,
  );
  const bima = regional.data.nationalDashboard;
  await eventually('the region’s figures', async () => (await page.textContent('[data-testid="total"]')) === number.format(bima.stats.total));
  expect(bima.stats.total).toBeGreaterThanOrEqual(1);
  expect(await page.textContent('[data-testid="forwarded"]')).toBe(number.format(bima.stats.forwarded));
  expect(await page.textContent('[data-testid="closed"]')).toBe(number.format(bima.stats.closed));
  expect(await page.textContent('[data-testid="overdue-follow-up"]')).toBe(number.format(bima.stats.overdue.followUp));
  expect(await page.textContent('[data-testid="completion-rate"]')).toBe(bima.stats.completionRate === null ? '—' : percent.format(bima.stats.completionRate));
  expect(bima.regenciesAndCities).toEqual([{ agency: { name: 'Kabupaten Bima' } }]);
  expect(await page.locator('[data-testid="ranking-regencies"] tbody tr').count()).toBe(1);
  expect(await page.textContent('[data-testid="ranking-regencies"] tbody tr th')).toBe('Kabupaten Bima');
  // Reloaded, the filter shows what the figures are for; the CSV is the region's too.
  await page.reload();
  await page.waitForSelector('[data-testid="completion-rate"]');
  await eventually('the regency chosen', async () => (await page.getByLabel('Kabupaten/kota', { exact: true }).inputValue()) === '52.06');
  expect(await page.getByLabel('Provinsi', { exact: true }).inputValue()).toBe('52');
  expect(await page.getAttribute('[data-testid="csv"]', 'href')).toContain('regionCode=52.06');
  expect(await seriousViolations(page)).toEqual([]);
  // A whole province where nothing was reported (Aceh): the regency is left unchosen, the figures are the API's zeros.
  await page.getByLabel('Provinsi', { exact: true }).selectOption('11');
  await page.getByRole('button', { name: 'Tampilkan', exact: true }).click();
  await page.waitForURL(/region=11(&|$)/);
  const aceh = await hub.query('query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to, regionCode: "11") { stats { total } } }', { from: `${year}-01-01T00:00:00+07:00`, to: `${year + 1}-01-01T00:00:00+07:00` }, token);
  expect(aceh.data.nationalDashboard.stats.total).toBe(0);
  await eventually('the province’s figures', async () => (await page.textContent('[data-testid="total"]')) === number.format(0));
});

test('a liaison officer escalates to the province, whose admin accepts it from the console', async () => {
  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  const submitted = await hub.query('mutation { submitComplaint(input: { type: COMPLAINT, channel: SMS, regionCode: "52.06", title: "Jembatan ambruk", body: "Jembatan gantung Desa Sape ambruk." }) { complaint { id } } }');
  const id = submitted.data.submitComplaint.complaint.id;
  await hub.query('mutation($id: ID!) { verifyComplaint(input: { complaintId: $id, version: 1 }) { complaint { version } } }', { id }, national);
  await hub.query('mutation($id: ID!) { forwardComplaint(input: { complaintId: $id, version: 2, agencyId: "region-52.06" }) { complaint { version } } }', { id }, national);

  const { page } = await open(DESKTOP);
  await devSignIn(page, 'LIAISON_OFFICER', 'Bima', 'region-52.06', `/console#complaint=${id}`);
  await page.waitForSelector('form[data-action="escalate"]');
  await page.getByLabel('Alasan eskalasi').selectOption('HIGHER_AUTHORITY');
  await pick(page, 'Eskalasi ke', 'Nusa Tenggara Barat', 'region-52');
  await page.locator('form[data-action="escalate"] textarea[name="note"]').fill('Butuh anggaran provinsi.');
  await page.getByRole('button', { name: 'Eskalasi', exact: true }).click();
  await textSoon(page.locator('.escalations'), 'menunggu jawaban');

  await page.getByRole('button', { name: 'Keluar' }).click();
  await devSignIn(page, 'AGENCY_ADMIN', 'Nusa Tenggara Barat', 'region-52');
  await textSoon(page.locator('#escalations-heading'), '(1)');
  await page.locator('section[aria-labelledby="escalations-heading"] a').first().click();
  await page.waitForSelector('.escalations form');
  await page.locator('.escalations textarea').fill('Diterima; Dinas PU provinsi menangani.');
  await page.getByRole('button', { name: 'Terima' }).click();
  await textSoon(page.locator('.escalations'), 'diterima');
  const after = await hub.query('query($id: ID!) { complaint(id: $id) { escalations { status reason } } }', { id }, national);
  expect(after.data.complaint.escalations).toEqual([{ status: 'ACCEPTED', reason: 'HIGHER_AUTHORITY' }]);
});

test('a citizen gives the place down to the village, lists and searches the public complaints, and supports one', async () => {
  const { page } = await open(PHONE);
  await page.goto(`${origin}/`);
  await page.waitForSelector('form');
  await page.getByLabel('Judul laporan').fill('Sampah menumpuk di pasar Monta');
  await page.getByLabel('Isi laporan').fill('Sampah pasar tidak diangkut selama dua minggu.');
  await pick(page, 'Lokasi kejadian', 'Bima', 'region-52.06');
  // The districts and villages of the regency picked, from the gateway (one regency, never the whole file).
  await page.waitForSelector('select[data-api-field="input.districtCode"]:not([disabled]) option[value="52.06.01"]', { state: 'attached' });
  await page.getByLabel('Kecamatan').selectOption('52.06.01');
  await page.getByLabel('Desa/kelurahan').selectOption('52.06.01.2005');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await page.waitForSelector('[data-testid="reporter-token"]');
  const trackingId = (await page.textContent('[data-testid="tracking-id"]'))!;
  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  const stored = await hub.query('query($t: String!) { complaintByTrackingId(trackingId: $t) { id regionCode districtCode villageCode } }', { t: trackingId }, national);
  expect(stored.data.complaintByTrackingId).toMatchObject({ regionCode: '52.06', districtCode: '52.06.01', villageCode: '52.06.01.2005' });
  const areas = await fetch(`${origin}/pages/areas/52.06.json`);
  expect(areas.headers.get('cache-control')).toContain('max-age');
  expect(Buffer.byteLength(await areas.text())).toBeLessThan(30_000);
  expect((await fetch(`${origin}/pages/areas/99.99.json`)).status).toBe(404);

  await page.goto(`${origin}/#daftar`);
  await page.waitForSelector('[data-testid="public-item"]');
  const all = await hub.query('{ publicComplaints(first: 0) { totalCount } }');
  expect(await page.textContent('[data-testid="public-count"]')).toBe(`${all.data.publicComplaints.totalCount} laporan`);
  expect(all.data.publicComplaints.totalCount).toBeGreaterThanOrEqual(2);
  await page.getByLabel('Cari', { exact: true }).fill('sampah pasar');
  await page.getByRole('button', { name: 'Tampilkan', exact: true }).click();
  await textSoon(page.getByTestId('public-count'), '1 laporan');
  const item = page.locator(`[data-complaint-id="${stored.data.complaintByTrackingId.id}"]`);
  expect(await item.textContent()).toContain(trackingId);
  await check(page, 'portal-list-phone');

  // Me too, with a contact the API refuses first: its coded error at the field, and no support counted.
  await item.getByRole('button', { name: 'Saya juga mengalami (dukung)' }).click();
  await item.getByLabel('Surel (e-mail)').fill('warga@pasar.x');
  await item.getByRole('button', { name: 'Kirim dukungan' }).click();
  await attributeSoon(item.getByLabel('Surel (e-mail)'), 'aria-invalid', 'true');
  expect(await item.locator('.field-error', { hasText: 'Alamat surel tidak valid' }).count()).toBe(1);
  await item.getByLabel('Surel (e-mail)').fill('warga@pasar.example.id');
  await item.getByRole('button', { name: 'Kirim dukungan' }).click();
  await page.waitForSelector('[data-testid="supported"]');
  expect(await item.getByTestId('support-count').textContent()).toBe('1');
  const supported = await hub.query('query($id: ID!) { complaint(id: $id) { supportCount } }', { id: stored.data.complaintByTrackingId.id }, national);
  expect(supported.data.complaint.supportCount).toBe(1);
  await check(page, 'portal-supported-phone');

  // A page at a time: twelve matches are ten, then two more by the cursor.
  for (let n = 1; n <= 12; n++) {
    await hub.querySubgraph('complaints', 'mutation($title: String!) { submitComplaint(input: { type: COMPLAINT, channel: SMS, regionCode: "52.03", title: $title, body: "Lampu penerangan jalan padam." }) { complaint { id } } }', { title: `Lampu penerangan padam di tiang ${n}` });
  }
  await page.getByLabel('Cari', { exact: true }).fill('lampu penerangan');
  await page.getByRole('button', { name: 'Tampilkan', exact: true }).click();
  await textSoon(page.getByTestId('public-count'), '12 laporan');
  expect(await page.getByTestId('public-item').count()).toBe(10);
  await page.getByRole('button', { name: 'Tampilkan lebih banyak' }).click();
  await eventually('the second page', async () => (await page.getByTestId('public-item').count()) === 12);
  expect(await page.getByRole('button', { name: 'Tampilkan lebih banyak' }).isHidden()).toBe(true);
  const titles = await page.locator('[data-testid="public-item"] h3').allTextContents();
  expect(new Set(titles).size).toBe(12);
});

test('an admin sees a possible duplicate, is told of a CONFLICT, and marks it; the inbox searches and filters by district', async () => {
  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  const submit = (title: string) =>
    hub.query('mutation($title: String!) { submitComplaint(input: { type: COMPLAINT, channel: WEB, regionCode: "52.01", districtCode: "52.01.01", categoryId: "INFRASTRUCTURE", title: $title, body: "Air PDAM di Gerung tidak mengalir sejak tiga hari." }) { complaint { id trackingId } } }', { title });
  const first = (await submit('Air PDAM mati di Gerung')).data.submitComplaint.complaint;
  const second = (await submit('Air PDAM tidak mengalir di Gerung')).data.submitComplaint.complaint;

  const { context, page } = await open(DESKTOP);
  await devSignIn(page, 'AGENCY_ADMIN', 'Lombok Barat', 'region-52.01');
  await page.waitForSelector('[data-testid="inbox-item"]');
  await page.getByLabel('Kode kecamatan').fill('52.01.02');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await textSoon(page.getByTestId('inbox-count'), '0 laporan');
  await page.getByLabel('Kode kecamatan').fill('52.01.01');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await textSoon(page.getByTestId('inbox-count'), '2 laporan');
  await page.getByLabel('Kode kecamatan').fill('');
  await page.getByLabel('Cari di instansi ini').fill('"tidak mengalir" -mati');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await textSoon(page.getByTestId('inbox-count'), '1 laporan');
  expect(await page.textContent('[data-testid="inbox-item"]')).toContain(second.trackingId);
  await check(page, 'console-search-desktop');

  await page.getByRole('link', { name: new RegExp(second.trackingId) }).click();
  await page.waitForSelector('[data-testid="duplicate-candidate"]');
  const candidate = page.locator('[data-testid="duplicate-candidate"]', { hasText: first.trackingId });
  expect(await candidate.count()).toBe(1);
  await check(page, 'console-duplicates-desktop');
  await alsoAt(context, page.url(), PHONE, 'console-duplicates-phone', '[data-testid="duplicate-candidate"]');

  // Verified by someone else meanwhile: the version read is stale.
  await hub.query('mutation($id: ID!) { verifyComplaint(input: { complaintId: $id, version: 1 }) { complaint { version } } }', { id: second.id }, national);
  await candidate.getByRole('button', { name: `Tutup laporan ini sebagai duplikat ${first.trackingId}` }).click();
  await textSoon(candidate.locator('[role="alert"]'), /Orang lain telah mengubah laporan ini/);
  await page.getByTestId('reload').click();
  await textSoon(page.getByTestId('version'), '2');
  await page.locator('[data-testid="duplicate-candidate"]', { hasText: first.trackingId }).getByRole('button', { name: `Tutup laporan ini sebagai duplikat ${first.trackingId}` }).click();
  await textSoon(page.locator('.timeline'), 'Ditutup sebagai duplikat');
  expect(await page.locator('[data-testid="duplicates"]').count()).toBe(0);
  const marked = await hub.query('query($id: ID!) { complaint(id: $id) { status duplicateOf { id } } }', { id: second.id }, national);
  expect(marked.data.complaint).toEqual({ status: 'CLOSED', duplicateOf: { id: first.id } });
});

test('the API explorer is GraphiQL from the gateway itself: no request leaves the hub', async () => {
  const { page } = await open(DESKTOP);
  const elsewhere: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) elsewhere.push(request.url());
  });
  await page.goto(`${origin}/graphql`);
  await page.waitForSelector('.graphiql-container');
  await page.waitForSelector('.graphiql-editor .monaco-editor');
  await page.getByRole('button', { name: /Execute query/i }).click();
  await textSoon(page.locator('.result-window'), /"categories"/);
  expect(elsewhere).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'explorer-desktop');
  const phone = await open(PHONE);
  await phone.page.goto(`${origin}/graphql`);
  await phone.page.waitForSelector('.graphiql-editor .monaco-editor');
  expect(await seriousViolations(phone.page)).toEqual([]);
  await screenshot(phone.page, 'explorer-phone');
  // API clients still get the API at the same address.
  const api = await fetch(`${origin}/graphql?query=${encodeURIComponent('{ categories { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
  expect(api.status).toBe(200);
});

/** Presses Tab until `selector` has the focus (a keyboard user's way there), at most 40 times. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    if (await page.evaluate((target) => document.activeElement?.matches(target) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('a citizen submits by keyboard alone: skip link, fields, the place picker, the submit button', async () => {
  const { page } = await open(PHONE);
  await page.goto(`${origin}/`);
  await page.waitForSelector('form');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
  await page.keyboard.press('Enter');
  await tabTo(page, 'input[data-api-field="input.title"]');
  await page.keyboard.type('Lampu jalan mati');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Lampu jalan di Jalan Soekarno-Hatta mati sejak sepekan.');
  await tabTo(page, 'input[data-api-field="input.regionCode"]');
  await page.keyboard.type('Kota Bima');
  await page.waitForSelector('button[data-agency-id="region-52.72"]');
  await tabTo(page, 'button[data-agency-id="region-52.72"]');
  await page.keyboard.press('Enter');
  await textSoon(page.locator('.picker-chosen'), 'Kota Bima (52.72)');
  // The file field: Space opens the phone's chooser.
  await tabTo(page, 'input[type="file"]');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'lampu-mati.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
  await textSoon(page.locator('.evidence [role="status"]'), '1 dari 5 berkas dipilih');
  await tabTo(page, '#anonymous');
  await page.keyboard.press('Space');
  await tabTo(page, 'button[type="submit"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="reporter-token"]');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-heading');
  const trackingId = await page.textContent('[data-testid="tracking-id"]');
  const officer = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  const stored = await hub.query('query($t: String!) { complaintByTrackingId(trackingId: $t) { id } }', { t: trackingId }, officer);
  const complaint = await hub.query('query($id: ID!) { complaint(id: $id) { anonymous regionCode reporter { name } attachments { filename } } }', { id: stored.data.complaintByTrackingId.id }, officer);
  // An anonymous reporter's file name could name them: officers read a neutral one.
  expect(complaint.data.complaint).toEqual({ anonymous: true, regionCode: '52.72', reporter: null, attachments: [{ filename: 'lampiran-1.jpg' }] });
});

test('English on request, by ?lang=en or by Accept-Language', async () => {
  const { page } = await open(PHONE, 'en-GB');
  await page.goto(`${origin}/`);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await page.waitForSelector('form');
  expect(await page.textContent('h1')).toBe('Submit your report');
  await page.goto(`${origin}/dashboard?lang=id`);
  expect(await page.getAttribute('html', 'lang')).toBe('id');
  await page.goto(`${origin}/?lang=en`);
  await page.waitForSelector('form');
  await check(page, 'portal-submit-phone-en');
});

test('the portal stays small: its gzipped JavaScript is reported and under 150 KB', async () => {
  const bundle = await pageBundle('pages');
  const sizes = Object.fromEntries(['portal.js', 'console.js', 'dashboard.js'].map((file) => [file, gzipSync(bundle.get(file)!.contents).length]));
  console.log(`gzipped bytes: ${JSON.stringify(sizes)}`);
  expect(sizes['portal.js']).toBeLessThan(150 * 1024);
});

test('in production there is no development sign-in', async () => {
  let gateway: ServiceHandle | undefined;
  try {
    gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].url])),
      secrets: hub.secrets,
      production: true,
      sessions: { secret: new TextEncoder().encode('x'.repeat(32)), ttlMinutes: 60, secureCookies: true, production: true },
    });
    const prodOrigin = new URL(gateway.url).origin;
    const page = await (await fetch(`${prodOrigin}/console/sign-in`)).text();
    expect(page).toContain('<meta name="lapor-sign-in" content="none">');
    const signIn = await fetch(`${prodOrigin}/console/sign-in/development`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: prodOrigin },
      body: 'role=NATIONAL_ADMIN&agencyId=kemenpanrb-lapor',
    });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get('set-cookie')).toBeNull();
  } finally {
    await gateway?.stop();
  }
});

test('a session cookie without the CSRF header is the public, and a bearer token still works', async () => {
  const signIn = await fetch(`${origin}/console/sign-in/development`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: 'role=NATIONAL_ADMIN&agencyId=kemenpanrb-lapor',
  });
  expect(signIn.status).toBe(303);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  expect(signIn.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
  const html = await (await fetch(`${origin}/console`, { headers: { cookie } })).text();
  const csrf = /name="lapor-csrf" content="([^"]+)"/.exec(html)![1];
  const query = JSON.stringify({ query: '{ nationalDashboard(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { stats { total } } }' });
  const ask = (headers: Record<string, string>) => fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query }).then((response) => response.json());
  expect((await ask({ cookie })).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await ask({ cookie, 'x-lapor-csrf': 'forged-token-forged-token' })).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await ask({ cookie, 'x-lapor-csrf': csrf })).data.nationalDashboard.stats.total).toEqual(expect.any(Number));
  expect((await ask({ authorization: `Bearer ${await hub.token('DASHBOARD', NATIONAL_ID)}` })).data.nationalDashboard.stats.total).toEqual(expect.any(Number));
  // A node the hub does not know, or a national admin of another node, signs nobody in (as a token's claims would not).
  for (const body of ['role=AGENCY_ADMIN&agencyId=no-such-node', 'role=NATIONAL_ADMIN&agencyId=region-52.06']) {
    const refused = await fetch(`${origin}/console/sign-in/development`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body });
    expect(refused.headers.get('location')).toBe('/console/sign-in?error=form');
    expect(refused.headers.get('set-cookie') ?? '').not.toMatch(/lapor_session=[^;]/);
  }
  // A sign-in form posted from another site is refused.
  const forged = await fetch(`${origin}/console/sign-in/development`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: 'role=NATIONAL_ADMIN&agencyId=kemenpanrb-lapor' });
  expect(forged.status).toBe(403);
});
