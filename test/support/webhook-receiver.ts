import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as the receiver got it. */
export interface ReceivedMessage {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** `{ type, timestamp, data }`, once the signature verified; null when it did not. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  receivedAt: number;
}

/** The message types that arrived (verified, each webhook-id once), in arrival order, optionally of one complaint. */
export function typesOf(messages: readonly ReceivedMessage[], complaintId?: string): string[] {
  return messages.filter((message) => !complaintId || message.verified?.data.complaintId === complaintId).map((message) => message.verified!.type);
}

/** How the receiver answers a request: a status, after a delay; `hangUp` closes the connection instead. */
export type Answer = { status: number; delayMs?: number; headers?: Record<string, string> } | { hangUp: true };

/**
 * An agency system's webhook endpoint, as a test controls it: it records every request and
 * verifies its signature with `standardwebhooks`, as a real receiver would, with the secrets it
 * was given; `answer` decides each reply (200 by default).
 */
export class WebhookReceiver {
  readonly received: ReceivedMessage[] = [];
  secrets: string[] = [];
  answer: (message: ReceivedMessage) => Answer = () => ({ status: 200 });
  private server: http.Server | null = null;
  private port = 0;

  /** `tls`: serve https with this certificate (a hub in production sends to https receivers only). */
  private constructor(private readonly tls: { key: string; cert: string } | null) {}

  static async start(tls: { key: string; cert: string } | null = null): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(tls);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/hooks/lapor`;
  }

  /** Listens again (on the same port after `down`). */
  async listen(): Promise<void> {
    const handler: http.RequestListener = (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => String(request.headers[name] ?? '');
        const message: ReceivedMessage = {
          id: header('webhook-id'),
          timestamp: header('webhook-timestamp'),
          signature: header('webhook-signature'),
          body,
          verified: this.verify(body, request.headers as Record<string, string>),
          receivedAt: Date.now(),
        };
        this.received.push(message);
        const answer = this.answer(message);
        if ('hangUp' in answer) {
          request.socket.destroy();
          return;
        }
        const reply = () => {
          if (response.destroyed) return;
          response.writeHead(answer.status, answer.headers).end();
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
        else reply();
      });
    };
    const server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private verify(body: string, headers: Record<string, string>): ReceivedMessage['verified'] {
    for (const secret of this.secrets) {
      try {
        return new Webhook(secret).verify(body, headers) as ReceivedMessage['verified'];
      } catch {
        // the next secret, if any
      }
    }
    return null;
  }

  /** Stops answering: connections are refused until `listen` again. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stop(): Promise<void> {
    return this.down();
  }

  /** The verified messages, each `webhook-id` once (the first that arrived), in arrival order. */
  unique(): ReceivedMessage[] {
    const seen = new Set<string>();
    return this.received.filter((message) => message.verified && !seen.has(message.id) && seen.add(message.id));
  }

  /** Waits until `done` holds of what arrived. */
  async waitFor(done: (receiver: WebhookReceiver) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(this.received.map((m) => ({ id: m.id, verified: m.verified?.type ?? null })))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
