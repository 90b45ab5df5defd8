import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';

/**
 * One message on its way to one address. `reference` names it without saying who it goes to
 * (`<message id>-<tracking id>-<kind>`): what logs, errors and file names may carry.
 */
export type OutgoingMessage =
  | { channel: 'email'; reference: string; to: string; subject: string; text: string; unsubscribeUrl: string }
  | { channel: 'sms'; reference: string; to: string; text: string };

export type Channel = OutgoingMessage['channel'];

/**
 * A failed send, said without the address or the text: `reason` is a status or an error code.
 * `permanent` when sending again cannot succeed (the mail server refused the recipient, the SMS
 * gateway refused the request): the message is given up instead of retried.
 */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
  }
}

/** Sends one kind of message; `close` lets go of its connections. */
export interface Transport<C extends Channel = Channel> {
  send(message: Extract<OutgoingMessage, { channel: C }>): Promise<void>;
  close(): Promise<void>;
}

/** Where each channel goes: a channel without a transport is not sent (its messages are skipped). */
export interface Transports {
  email: Transport<'email'> | null;
  sms: Transport<'sms'> | null;
  close(): Promise<void>;
}

export interface TransportConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465`. */
  smtpUrl?: string;
  /** The From of every e-mail, e.g. `LAPOR! <no-reply@lapor.go.id>`. */
  mailFrom: string;
  /** Receives `POST { "to": "+62…", "text": "…" }` as JSON; credentials in the URL go as Basic auth. */
  smsGatewayUrl?: string;
  /** Where messages are written as files when neither SMTP nor an SMS gateway is set. */
  outboxDir: string;
}

const SEND_TIMEOUT_MS = 10_000;

/**
 * E-mail over SMTP when `smtpUrl` is set, SMS through the gateway when `smsGatewayUrl` is; with
 * neither (development, a first `npm start`), both are written as files under `outboxDir` so that
 * they can be read. With one of them set, the other channel is not sent anywhere: contact details
 * are never left on disk in a deployment that sends for real.
 */
export function createTransports(config: TransportConfig): Transports {
  if (!config.smtpUrl && !config.smsGatewayUrl) {
    const files = new FileTransport(config.outboxDir, config.mailFrom);
    return { email: files, sms: files, close: () => files.close() };
  }
  const email = config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom) : null;
  const sms = config.smsGatewayUrl ? new SmsGatewayTransport(config.smsGatewayUrl) : null;
  return {
    email,
    sms,
    close: async () => {
      await email?.close();
      await sms?.close();
    },
  };
}

/** What an e-mail says besides its text: the stop link in the headers too (RFC 2369, RFC 8058). */
function mailOptions(message: Extract<OutgoingMessage, { channel: 'email' }>, from: string) {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    list: { unsubscribe: { url: message.unsubscribeUrl, comment: 'Berhenti menerima pemberitahuan' } },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
  };
}

export class SmtpTransport implements Transport<'email'> {
  private readonly mailer: nodemailer.Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // nodemailer's own defaults wait minutes on a server that does not answer.
    this.mailer = nodemailer.createTransport(
      new SMTPTransport({ url: smtpUrl, connectionTimeout: SEND_TIMEOUT_MS, greetingTimeout: SEND_TIMEOUT_MS, socketTimeout: 3 * SEND_TIMEOUT_MS, logger: false }),
    );
  }

  async send(message: Extract<OutgoingMessage, { channel: 'email' }>): Promise<void> {
    try {
      await this.mailer.sendMail(mailOptions(message, this.from));
    } catch (error) {
      const { code, responseCode } = error as { code?: string; responseCode?: number };
      // The server refused this recipient (a 5xx to RCPT TO) or nodemailer found no address to send
      // to: that address will not work later either. Anything else (connection, timeout, a 4xx,
      // our credentials) may pass on another attempt. The error's message quotes the address: dropped.
      const refused = code === 'EENVELOPE' && (responseCode === undefined || responseCode >= 500);
      throw new DeliveryError(`smtp ${code ?? 'error'}${responseCode ? ` ${responseCode}` : ''}`, refused);
    }
  }

  async close(): Promise<void> {
    this.mailer.close();
  }
}

export class SmsGatewayTransport implements Transport<'sms'> {
  private readonly url: string;
  private readonly authorization: string | null;

  constructor(gatewayUrl: string) {
    // fetch refuses a URL with credentials in it; they travel as Basic auth instead.
    const url = new URL(gatewayUrl);
    this.authorization = url.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : null;
    url.username = '';
    url.password = '';
    this.url = url.toString();
  }

  async send(message: Extract<OutgoingMessage, { channel: 'sms' }>): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.authorization ? { authorization: this.authorization } : {}) },
        body: JSON.stringify({ to: message.to, text: message.text }),
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new DeliveryError(`sms gateway ${cause?.code ?? (error as Error).name}`, false);
    }
    await response.body?.cancel();
    if (response.ok) return;
    // A 4xx says this request will not be accepted as it is, except "too many" and "timed out".
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw new DeliveryError(`sms gateway HTTP ${response.status}`, permanent);
  }

  async close(): Promise<void> {}
}

/**
 * Writes each message as a file: an e-mail as `<reference>.eml` (what a mail reader opens), an SMS
 * as `<reference>.sms.txt`. A resent message overwrites its own file, and a file appears whole
 * (written aside, then renamed).
 */
export class FileTransport implements Transport {
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const content =
      message.channel === 'email'
        ? ((await this.builder.sendMail(mailOptions(message, this.from))).message as Buffer)
        : `To: ${message.to}\n\n${message.text}\n`;
    const file = path.join(this.dir, `${message.reference}${message.channel === 'email' ? '.eml' : '.sms.txt'}`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(`${file}.tmp`, content);
    await rename(`${file}.tmp`, file);
  }

  async close(): Promise<void> {}
}
