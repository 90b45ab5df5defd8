import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createTransports, DeliveryError, SmsGatewayTransport, SmtpTransport, type OutgoingMessage } from '../src/notifications/transports';
import { SmsReceiver, SmtpReceiver } from '../../../test/support/message-receivers';

const email: Extract<OutgoingMessage, { channel: 'email' }> = {
  channel: 'email',
  reference: '1-LPR-0123456789-RECEIVED',
  to: 'siti@example.id',
  subject: '[LAPOR!] Pengaduan Anda telah diterima - LPR-0123456789',
  text: 'Yth. Pelapor,\n\nPengaduan Anda "Jalan rusak" telah kami terima.',
  unsubscribeUrl: 'http://localhost:4000/notifications/unsubscribe?token=LPR-0123456789.sig',
};
const sms: Extract<OutgoingMessage, { channel: 'sms' }> = { channel: 'sms', reference: '2-LPR-0123456789-RECEIVED', to: '+6281234567890', text: 'LAPOR!: pengaduan Anda diterima.' };

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as DeliveryError);

describe('SMTP transport', () => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
  });
  afterAll(() => smtp.stop());

  it('delivers the e-mail to a real SMTP server, with the stop link in the headers', async () => {
    const transport = new SmtpTransport(smtp.url, 'LAPOR! <no-reply@lapor.example>');
    await transport.send(email);
    await transport.close();
    const [mail] = smtp.to('siti@example.id');
    expect(mail.subject).toBe(email.subject);
    expect(mail.text?.trim()).toBe(email.text);
    expect(mail.from?.value[0].address).toBe('no-reply@lapor.example');
    const header = (key: string) => mail.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toContain(`<${email.unsubscribeUrl}>`);
  });

  it('gives up on a recipient the server refuses, and says why without the address', async () => {
    smtp.refused.add('gone@example.id');
    const transport = new SmtpTransport(smtp.url, 'no-reply@lapor.example');
    const error = await failure(transport.send({ ...email, to: 'gone@example.id' }));
    await transport.close();
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: true, reason: 'smtp EENVELOPE 550' });
    expect(error!.message).not.toContain('gone@');
  });

  it('retries later when the server does not answer', async () => {
    const down = await SmtpReceiver.start();
    await down.stop();
    const transport = new SmtpTransport(down.url, 'no-reply@lapor.example');
    const error = await failure(transport.send(email));
    await transport.close();
    expect(error).toMatchObject({ permanent: false, reason: 'smtp ESOCKET' });
  });
});

describe('SMS gateway transport', () => {
  let gateway: SmsReceiver;
  beforeAll(async () => {
    gateway = await SmsReceiver.start();
  });
  afterAll(() => gateway.stop());
  afterEach(() => {
    gateway.status = 200;
  });

  it('POSTs { to, text } as JSON, with the credentials of the URL as Basic auth', async () => {
    const url = new URL(gateway.url);
    url.username = 'hub';
    url.password = 'rahasia';
    await new SmsGatewayTransport(url.toString()).send(sms);
    expect(gateway.messages.at(-1)).toEqual({ to: sms.to, text: sms.text, authorization: `Basic ${Buffer.from('hub:rahasia').toString('base64')}` });
  });

  it('retries on a 5xx or a 429, gives up on another 4xx', async () => {
    const transport = new SmsGatewayTransport(gateway.url);
    for (const [status, permanent] of [[503, false], [429, false], [400, true]] as const) {
      gateway.status = status;
      expect(await failure(transport.send(sms))).toMatchObject({ permanent, reason: `sms gateway HTTP ${status}` });
    }
  });
});

describe('file transport (neither SMTP nor an SMS gateway set)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lapor-outbox-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes an e-mail as a readable .eml and an SMS as text, one file per message', async () => {
    const transports = createTransports({ mailFrom: 'no-reply@lapor.example', outboxDir: dir });
    await transports.email!.send(email);
    await transports.email!.send(email);
    await transports.sms!.send(sms);
    expect((await readdir(dir)).sort()).toEqual([`${email.reference}.eml`, `${sms.reference}.sms.txt`]);
    const mail = await simpleParser(await readFile(path.join(dir, `${email.reference}.eml`)));
    expect(mail.subject).toBe(email.subject);
    expect(mail.text?.trim()).toBe(email.text);
    expect(await readFile(path.join(dir, `${sms.reference}.sms.txt`), 'utf8')).toBe(`To: ${sms.to}\n\n${sms.text}\n`);
  });

  it('is not used once one real transport is set: the other channel is not sent', () => {
    const transports = createTransports({ smtpUrl: 'smtp://127.0.0.1:2525', mailFrom: 'no-reply@lapor.example', outboxDir: dir });
    expect(transports.email).toBeInstanceOf(SmtpTransport);
    expect(transports.sms).toBeNull();
  });
});
