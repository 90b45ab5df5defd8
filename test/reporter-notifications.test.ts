import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { ParsedMail } from 'mailparser';
import { logger } from '@lapor-hub/lib';
import { openDatabase, type Orm } from '@lapor-hub/lib/database';
import { ContactSeal } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { ComplaintSchema } from '@lapor-hub/complaints/src/entities/complaint';
import { complaintsMigrations } from '@lapor-hub/complaints/src/migrations';
import { closeSilentComplaints } from '@lapor-hub/complaints/src/services/sweep';
import { NATIONAL_ID, TEST_PUBLIC_URL, TestHub } from './support/hub';
import { MUTATIONS, submit, type Submitted } from './support/lifecycle';
import { eventually, SmsReceiver, SmtpReceiver } from './support/message-receivers';

// Every log line of the hub while this file runs, at every level: none may carry a contact detail.
const logLines: string[] = [];
const loggerStream = logger as unknown as Record<symbol, unknown>;
const originalStream = loggerStream[pino.symbols.streamSym];
const originalLevel = logger.level;

let smtp: SmtpReceiver;
let sms: SmsReceiver;
let hub: TestHub;
let national: string;
let liaison: string;
let agencyName: string;

beforeAll(async () => {
  loggerStream[pino.symbols.streamSym] = { write: (line: string) => void logLines.push(line) };
  logger.level = 'trace';
  smtp = await SmtpReceiver.start();
  sms = await SmsReceiver.start();
  hub = await TestHub.start({ notifications: { smtpUrl: smtp.url, smsGatewayUrl: sms.url } });
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
  agencyName = (await hub.query(`{ agency(id: "region-52.06") { name } }`)).data.agency.name;
});
afterAll(async () => {
  await hub?.stop();
  await smtp?.stop();
  await sms?.stop();
  loggerStream[pino.symbols.streamSym] = originalStream;
  logger.level = originalLevel;
});

// Every contact detail this file gives the hub, to look for where it must not be.
const contacts: string[] = [];
function reporter(label: string) {
  const contact = { name: `Pelapor ${label} Wulandari`, email: `pelapor.${label}@example.id`, phone: `+62812${String(contacts.length).padStart(7, '7')}` };
  contacts.push(contact.name, contact.email, contact.phone);
  return contact;
}

async function ok(query: string, input: Record<string, unknown>, token?: string) {
  const result = await hub.query(query, { input }, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

/** Verifies, forwards to region-52.06 and follows up a submitted complaint. */
async function handle(complaint: Submitted, followUp = 'Jembatan diperbaiki mulai Senin.\nTim sudah meninjau lokasi.') {
  await ok(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
  await ok(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }, national);
  await ok(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: followUp }, liaison);
}

const satisfied = (complaint: Submitted) =>
  ok(MUTATIONS.reply, { trackingId: complaint.trackingId, reporterToken: complaint.reporterToken, body: 'Terima kasih, sudah beres.', satisfied: true });

const SUBJECTS = ['diterima', 'diteruskan', 'ditindaklanjuti', 'ditutup'].map((word) => `Pengaduan Anda telah ${word}`);

/** Everything a mail carries, headers included. */
const wholeMail = (mail: ParsedMail) => `${mail.headerLines.map((line) => line.line).join('\n')}\n${mail.text ?? ''}`;

function stopLinkOf(mail: ParsedMail): URL {
  const link = /(https:\/\/lapor\.test\/notifications\/unsubscribe\?token=\S+)$/m.exec(mail.text ?? '');
  if (!link) throw new Error('no stop link in the mail');
  return new URL(link[1]);
}

/** The stop link on this hub's gateway (the messages name the public address). */
const onGateway = (link: URL) => new URL(`${link.pathname}${link.search}`, hub.gateway.url);

async function messageStates(complaintId: string) {
  return hub.sql<{ kind: string; state: string; attempts: number }>(
    'complaints',
    'select kind, state, attempts from complaints.reporter_message where complaint_id = $1 order by id',
    [complaintId],
  );
}

describe('reporter notifications', () => {
  it('tell a reporter by e-mail and SMS, in Indonesian and in order, of receipt, forwarding, follow-up and closing; never the reporter token', async () => {
    const contact = reporter('lengkap');
    const complaint = await submit(hub, { reporter: contact });
    await handle(complaint);
    await satisfied(complaint);

    await eventually('four e-mails and four SMS', () => smtp.to(contact.email).length === 4 && sms.messages.filter((m) => m.to === contact.phone).length === 4);
    const mails = smtp.to(contact.email);
    expect(mails.map((mail) => mail.subject)).toEqual(SUBJECTS.map((subject) => `[LAPOR!] ${subject} - ${complaint.trackingId}`));
    const [received, forwarded, followedUp, closed] = mails.map((mail) => mail.text ?? '');
    expect(received).toContain(`dengan nomor pelacakan ${complaint.trackingId}`);
    expect(received).toContain(`buka ${TEST_PUBLIC_URL}/ lalu masukkan nomor pelacakan ${complaint.trackingId}`);
    expect(forwarded).toContain(`telah diteruskan kepada ${agencyName}`);
    expect(followedUp).toContain('> Jembatan diperbaiki mulai Senin.\n> Tim sudah meninjau lokasi.');
    expect(followedUp).toContain('sampaikan tanggapan Anda melalui');
    expect(closed).toContain('setelah Anda menyatakan puas');
    for (const mail of mails) {
      expect(mail.from?.value[0].address).toBe('no-reply@lapor.test');
      expect(wholeMail(mail)).not.toContain(complaint.reporterToken);
      expect(stopLinkOf(mail).searchParams.get('token')).toMatch(new RegExp(`^${complaint.trackingId}\\.`));
    }
    const texts = sms.messages.filter((m) => m.to === contact.phone).map((m) => m.text);
    expect(texts[0]).toContain(`diterima, nomor pelacakan ${complaint.trackingId}`);
    expect(texts[1]).toContain(`diteruskan kepada ${agencyName}`);
    expect(texts[2]).toContain('"Jembatan diperbaiki mulai Senin. Tim sudah meninjau lokasi."');
    expect(texts[3]).toContain('ditutup');
    for (const text of texts) expect(text).not.toContain(complaint.reporterToken);
    expect((await messageStates(complaint.id)).map((row) => row.state)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);
  });

  it('tell an anonymous reporter too: anonymity hides them from agencies, not from the hub', async () => {
    const contact = reporter('anonim');
    const complaint = await submit(hub, { anonymous: true, reporter: { email: contact.email } });
    const seen = await hub.query(`query($id: ID!) { complaint(id: $id) { reporter { email } } }`, { id: complaint.id }, liaison);
    expect(seen.data?.complaint?.reporter ?? null).toBeNull();
    await handle(complaint);
    await satisfied(complaint);
    await eventually('four e-mails', () => smtp.to(contact.email).length === 4);
    expect(smtp.to(contact.email).map((mail) => mail.subject)).toEqual(SUBJECTS.map((subject) => `[LAPOR!] ${subject} - ${complaint.trackingId}`));
  });

  it('tell the reporter when the sweep closes a complaint left without a reply', async () => {
    const contact = reporter('diam');
    const complaint = await submit(hub, { reporter: { email: contact.email } });
    await handle(complaint);
    await eventually('three e-mails', () => smtp.to(contact.email).length === 3);
    const orm: Orm = await openDatabase({
      clientUrl: hub.databases.urls.complaints,
      schema: 'complaints',
      entities: [ComplaintSchema],
      migrations: complaintsMigrations(new ContactSeal(hub.secrets.reporterContactKey)),
      poolMax: 1,
    });
    try {
      const [{ closes_at: closesAt }] = await hub.sql<{ closes_at: Date }>('complaints', 'select closes_at from complaints.complaint where id = $1', [complaint.id]);
      expect(await closeSilentComplaints(orm.em.fork(), new Date(closesAt.getTime() + 1))).toBeGreaterThanOrEqual(1);
    } finally {
      await orm.close();
    }
    await eventually('the closing e-mail', () => smtp.to(contact.email).length === 4);
    expect(smtp.to(contact.email)[3].text).toContain('ditutup otomatis karena tidak ada tanggapan dalam 10 hari kerja');
  });

  it('tell the reporter where the complaint went when a node accepts an escalation', async () => {
    const contact = reporter('eskalasi');
    const complaint = await submit(hub, { reporter: { email: contact.email } });
    await ok(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
    await ok(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }, national);
    const escalated = await ok(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { complaintId: complaint.id, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY', note: 'Jembatan provinsi' },
      liaison,
    );
    await ok(
      `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id } } }`,
      { escalationId: escalated.escalateComplaint.escalation.id, accept: true },
      await hub.token('AGENCY_ADMIN', 'region-52'),
    );
    const province = (await hub.query(`{ agency(id: "region-52") { name } }`)).data.agency.name;
    await eventually('the second forwarding e-mail', () => smtp.to(contact.email).length === 3);
    expect(smtp.to(contact.email)[2].text).toContain(`telah diteruskan kepada ${province}`);
  });

  it('stop after the reporter follows the stop link: a GET only asks, the POST stops', async () => {
    const contact = reporter('berhenti');
    const complaint = await submit(hub, { reporter: { email: contact.email } });
    await eventually('the receipt', () => smtp.to(contact.email).length === 1);
    const link = onGateway(stopLinkOf(smtp.to(contact.email)[0]));

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    await ok(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
    await ok(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }, national);
    await eventually('the forwarding e-mail (a GET stops nothing)', () => smtp.to(contact.email).length === 2);

    // As a mail client's one-click unsubscribe sends it (RFC 8058).
    const stopped = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).toContain('Pemberitahuan dihentikan');
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);

    await ok(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Sudah ditangani.' }, liaison);
    await satisfied(complaint);
    // Another reporter's message written after these goes out: by then these would have too.
    const later = reporter('sesudah');
    await submit(hub, { reporter: { email: later.email } });
    await eventually('a later receipt', () => smtp.to(later.email).length === 1);
    expect(smtp.to(contact.email)).toHaveLength(2);
    expect(await hub.sql('complaints', 'select 1 from complaints.reporter_message where complaint_id = $1 and kind in ($2, $3)', [complaint.id, 'FOLLOWED_UP', 'CLOSED'])).toEqual([]);
  });

  it('stop with the tracking id and reporter token; a stop link works for its own complaint only', async () => {
    const first = reporter('pertama');
    const second = reporter('kedua');
    const a = await submit(hub, { reporter: { email: first.email } });
    const b = await submit(hub, { reporter: { email: second.email } });
    await eventually('both receipts', () => smtp.to(first.email).length === 1 && smtp.to(second.email).length === 1);

    // A's link with B's tracking id: refused, B keeps its messages.
    const forged = onGateway(stopLinkOf(smtp.to(first.email)[0]));
    forged.searchParams.set('token', forged.searchParams.get('token')!.replace(a.trackingId, b.trackingId));
    expect((await fetch(forged, { method: 'POST' })).status).toBe(400);
    const stop = `mutation($input: StopReporterNotificationsInput!) { stopReporterNotifications(input: $input) { trackingId stopped } }`;
    const refused = await hub.query(stop, { input: { unsubscribeToken: forged.searchParams.get('token') } });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrongToken = await hub.query(stop, { input: { trackingId: b.trackingId, reporterToken: a.reporterToken } });
    expect(wrongToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const neither = await hub.query(stop, { input: { trackingId: b.trackingId } });
    expect(neither.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });

    const byReporter = await hub.query(stop, { input: { trackingId: a.trackingId, reporterToken: a.reporterToken } });
    expect(byReporter.data.stopReporterNotifications).toEqual({ trackingId: a.trackingId, stopped: true });

    for (const complaint of [a, b]) {
      await ok(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
      await ok(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }, national);
    }
    await eventually("B's forwarding e-mail", () => smtp.to(second.email).length === 2);
    expect(smtp.to(first.email)).toHaveLength(1);
  });

  it('keep the messages while the SMTP server is down, and send every one, in order, once it is back', async () => {
    const contact = reporter('tertunda');
    let complaint!: Submitted;
    await smtp.whileDown(async () => {
      complaint = await submit(hub, { reporter: { email: contact.email } });
      await ok(MUTATIONS.verify, { complaintId: complaint.id, version: 1 }, national);
      await ok(MUTATIONS.forward, { complaintId: complaint.id, version: 2, agencyId: 'region-52.06' }, national);
      await eventually('a few failed attempts', async () => ((await messageStates(complaint.id))[0]?.attempts ?? 0) >= 3);
      // The forwarding waits for the receipt: never tried before it, so never sent before it.
      expect((await messageStates(complaint.id)).map(({ state, attempts }) => [state, attempts > 0])).toEqual([['PENDING', true], ['PENDING', false]]);
    });
    await ok(MUTATIONS.followUp, { complaintId: complaint.id, version: 3, body: 'Sudah ditangani.' }, liaison);
    await eventually('the three e-mails', () => smtp.to(contact.email).length === 3);
    expect(smtp.to(contact.email).map((mail) => mail.subject)).toEqual(SUBJECTS.slice(0, 3).map((subject) => `[LAPOR!] ${subject} - ${complaint.trackingId}`));
    expect((await messageStates(complaint.id)).map((row) => row.state)).toEqual(['SENT', 'SENT', 'SENT']);
    // The later messages waited for the first: none was sent twice, none skipped.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to(contact.email)).toHaveLength(3);
  });

  it('give up on an address the mail server refuses, and still send the SMS', async () => {
    const contact = reporter('ditolak');
    smtp.refused.add(contact.email);
    const complaint = await submit(hub, { reporter: { email: contact.email, phone: contact.phone } });
    await handle(complaint);
    await eventually('three SMS', () => sms.messages.filter((m) => m.to === contact.phone).length === 3);
    const rows = await hub.sql<{ state: string; last_error: string }>('complaints', 'select state, last_error from complaints.reporter_message where complaint_id = $1 order by id', [complaint.id]);
    expect(rows).toEqual(Array(3).fill({ state: 'SENT', last_error: 'smtp EENVELOPE 550' }));
    expect(smtp.to(contact.email)).toEqual([]);
  });

  it('tell a supporter who left a contact what the reporter is told, never the token or who reported; none to one who stopped or left none', async () => {
    const contact = reporter('didukung');
    const complaint = await submit(hub, { reporter: contact });
    const supporter = reporter('pendukung');
    const stopper = reporter('pendukung-berhenti');
    const SUPPORT = `mutation($input: SupportComplaintInput!) { supportComplaint(input: $input) { complaint { supportCount } } }`;
    const support = (idempotencyKey: string, contactOf?: { email?: string; phone?: string }) =>
      ok(SUPPORT, { complaintId: complaint.id, idempotencyKey, ...(contactOf ? { reporter: contactOf } : {}) });
    const key = randomUUID();
    await support(key, { email: supporter.email, phone: supporter.phone });
    // A retried support adds no supporter and no second receipt.
    await support(key, { email: supporter.email, phone: supporter.phone });
    const stopperKey = randomUUID();
    await support(stopperKey, { email: stopper.email });
    await support(randomUUID());

    await eventually('the supporters’ receipts', () => smtp.to(supporter.email).length === 1 && smtp.to(stopper.email).length === 1);
    const [receipt] = smtp.to(supporter.email);
    expect(receipt.subject).toBe(`[LAPOR!] Dukungan Anda telah dicatat - ${complaint.trackingId}`);
    expect(receipt.text).toContain(`Dukungan Anda untuk pengaduan "Jembatan desa ambruk" yang Anda dukung (nomor pelacakan ${complaint.trackingId}) telah kami catat.`);
    // One supporter stops theirs from their own message's link: the reporter's and the other supporter's go on.
    const stopLink = stopLinkOf(smtp.to(stopper.email)[0]);
    expect(stopLink.searchParams.get('token')).toMatch(new RegExp(`^${complaint.trackingId}\\.[0-9a-f-]{36}\\.`));
    expect((await fetch(onGateway(stopLink), { method: 'POST' })).status).toBe(200);

    await handle(complaint);
    await satisfied(complaint);
    await eventually('four e-mails and four SMS to the supporter', () => smtp.to(supporter.email).length === 4 && sms.messages.filter((m) => m.to === supporter.phone).length === 4);
    await eventually('the reporter’s four e-mails', () => smtp.to(contact.email).length === 4);

    const mails = smtp.to(supporter.email);
    expect(mails.map((mail) => mail.subject)).toEqual(
      ['Dukungan Anda telah dicatat', ...['diteruskan', 'ditindaklanjuti', 'ditutup'].map((word) => `Pengaduan yang Anda dukung telah ${word}`)].map(
        (subject) => `[LAPOR!] ${subject} - ${complaint.trackingId}`,
      ),
    );
    const [, forwarded, followedUp, closed] = mails.map((mail) => mail.text ?? '');
    expect(forwarded).toContain(`telah diteruskan kepada ${agencyName}`);
    expect(followedUp).toContain('> Jembatan diperbaiki mulai Senin.\n> Tim sudah meninjau lokasi.');
    expect(closed).toContain('setelah pelapor menyatakan puas');
    const texts = sms.messages.filter((m) => m.to === supporter.phone).map((m) => m.text);
    expect(texts[1]).toContain(`diteruskan kepada ${agencyName}`);
    for (const text of [...mails.map(wholeMail), ...texts]) {
      expect(text).not.toContain(complaint.reporterToken);
      for (const identity of [contact.name, contact.email, contact.phone]) expect(text).not.toContain(identity);
      expect(text).not.toMatch(/Yth\. Pelapor|token pelapor Anda/);
    }
    // Each message's stop link is the supporter's own, and works: it stops theirs, not the reporter's.
    const ownLink = stopLinkOf(mails[3]);
    expect(ownLink.searchParams.get('token')).not.toBe(stopLinkOf(smtp.to(contact.email)[3]).searchParams.get('token'));
    expect(await (await fetch(onGateway(ownLink), { method: 'POST' })).text()).toContain('Pemberitahuan dihentikan');
    const [stopped] = await hub.sql<{ n: number }>('complaints', 'select count(*)::int as n from complaints.support where complaint_id = $1 and stopped_at is not null', [complaint.id]);
    expect(stopped.n).toBe(2);
    expect(await hub.sql('complaints', 'select 1 from complaints.reporter_subscription where complaint_id = $1 and stopped_at is not null', [complaint.id])).toEqual([]);

    // The reporter was told as ever; the supporter who stopped got the receipt only.
    expect(smtp.to(contact.email).map((mail) => mail.subject)).toEqual(SUBJECTS.map((subject) => `[LAPOR!] ${subject} - ${complaint.trackingId}`));
    expect(smtp.to(stopper.email)).toHaveLength(1);
    const stopperMessages = await hub.sql<{ kind: string }>(
      'complaints',
      'select m.kind from complaints.reporter_message m join complaints.support s on s.id = m.support_id where s.idempotency_key = $1 order by m.id',
      [stopperKey],
    );
    expect(stopperMessages).toEqual([{ kind: 'RECEIVED' }]);
    // The support without a contact was sent nothing: it is no recipient.
    const [{ n: recipients }] = await hub.sql<{ n: number }>('complaints', 'select count(distinct support_id)::int as n from complaints.reporter_message where complaint_id = $1', [complaint.id]);
    expect(recipients).toBe(2);
  });

  it('never log a contact detail, while the notifier did log its work', () => {
    expect(logLines.some((line) => line.includes('reporter message sent'))).toBe(true);
    expect(logLines.some((line) => line.includes('reporter message not sent'))).toBe(true);
    for (const line of logLines) for (const detail of contacts) expect(line).not.toContain(detail);
  });
});
