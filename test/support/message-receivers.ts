import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a loopback port, keeping every message it accepted, parsed. */
export class SmtpReceiver {
  readonly mails: ParsedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  /** Recipients whose RCPT TO the server refuses with a 550, as for an unknown mailbox. */
  readonly refused = new Set<string>();

  /** Starts on `port` (0: any free one; a restart passes the port it had). */
  static async start(port = 0): Promise<SmtpReceiver> {
    const receiver = new SmtpReceiver();
    await receiver.listen(port);
    return receiver;
  }

  private async listen(port: number): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address)) return callback();
        callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.mails.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Mails sent to `address`, in the order they arrived. */
  to(address: string): ParsedMail[] {
    return this.mails.filter((mail) => [mail.to].flat().some((to) => to?.value.some((entry) => entry.address === address)));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Stops, runs `whileDown` (nothing listens on the port meanwhile), and starts again on the same port. */
  async whileDown(whileDown: () => Promise<void>): Promise<void> {
    await this.stop();
    try {
      await whileDown();
    } finally {
      await this.listen(this.port);
    }
  }
}

/** An HTTP SMS gateway: keeps each `POST { to, text }`; answers `status` (200 unless set). */
export class SmsReceiver {
  readonly messages: { to: string; text: string; authorization: string | undefined }[] = [];
  status = 200;
  private server!: http.Server;
  url = '';

  static async start(): Promise<SmsReceiver> {
    const receiver = new SmsReceiver();
    receiver.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (receiver.status === 200) {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
          receiver.messages.push({ ...body, authorization: req.headers.authorization });
        }
        res.writeHead(receiver.status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/sms`;
    return receiver;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits until `check` holds (polling), failing after `timeoutMs` with `what`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
