import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signUserToken } from '@lapor-hub/lib';
import { Webhook } from 'standardwebhooks';
import { log, NATIONAL_ID, round, withClient } from '../common';
import { assertNoErrors, percentiles, postJson, type LatencyFigures } from '../load';
import type { ScenarioContext } from './context';

/**
 * Webhook delivery lag under the submission load: before the submissions start, every node they
 * are addressed to (each regency and city) gets a subscription to COMPLAINT_SUBMITTED pointing at
 * a receiver in this process, which verifies each message's signature with `standardwebhooks` as
 * an agency system would (the subscription's own secret, chosen by the URL's path). The lag of a
 * complaint is the time its first verified message arrived minus the message's `timestamp`, the
 * complaint's `submittedAt`, set in the transaction that commits it. After the run, the receiver
 * waits until every stored submission's message has arrived (or a time limit), and counts them.
 */

/** What the subscriptions are described as: found again by the clean-up (`removeSubmissions`). */
export const BENCH_SUBSCRIPTION_DESCRIPTION = 'lapor-bench delivery lag';

export interface WebhookLagFigures {
  subscriptions: number;
  /** Submissions stored by the run (acknowledged or not): each must have its message. */
  expected: number;
  arrived: number;
  missing: number;
  /** Messages received again with a `webhook-id` already seen (at-least-once delivery). */
  duplicates: number;
  /** Messages whose signature did not verify with their subscription's secret. */
  unverified: number;
  lagMs: LatencyFigures;
  /** From the end of the submission run until the last expected message arrived (or the limit). */
  waitedSeconds: number;
}

const CREATE_SUBSCRIPTION = `mutation Subscribe($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) { subscription { id } secret } }`;

interface Arrival {
  receivedAt: number;
  committedAt: number;
}

export class DeliveryLagReceiver {
  private readonly verifiers: Webhook[] = [];
  private readonly arrivals = new Map<string, Arrival>();
  private readonly seenIds = new Set<string>();
  private duplicates = 0;
  private unverified = 0;

  private constructor(private readonly server: http.Server) {}

  /** The receiver, and a subscription of every regency and city to COMPLAINT_SUBMITTED (as the national admin). */
  static async start({ options, secrets, hub }: ScenarioContext): Promise<DeliveryLagReceiver> {
    let receiver!: DeliveryLagReceiver;
    const server = http.createServer((request, response) => receiver.receive(request, response));
    receiver = new DeliveryLagReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const nodes = await withClient(options.databaseUrl, async (client) => (await client.query(`select id from agencies.agency where kind in ('REGENCY', 'CITY') order by id`)).rows.map((row: { id: string }) => row.id));
    const token = await signUserToken({ sub: 'bench-webhooks', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID }, secrets.jwtSecret);
    log(`webhooks: subscribing ${nodes.length} regencies and cities to COMPLAINT_SUBMITTED`);
    // A few at a time: one after another would take a while, all at once would queue.
    for (let start = 0; start < nodes.length; start += 8) {
      await Promise.all(
        nodes.slice(start, start + 8).map(async (agencyId, offset) => {
          const index = start + offset;
          const input = { agencyId, url: `http://127.0.0.1:${port}/hooks/${index}`, events: ['COMPLAINT_SUBMITTED'], description: BENCH_SUBSCRIPTION_DESCRIPTION };
          const answer = await postJson(hub.gateway.url, { query: CREATE_SUBSCRIPTION, variables: { input } }, { authorization: `Bearer ${token}` });
          assertNoErrors(`webhook subscription of ${agencyId}`, answer);
          receiver.verifiers[index] = new Webhook(answer.data.createWebhookSubscription.secret);
        }),
      );
    }
    return receiver;
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receivedAt = Date.now();
      const verifier = this.verifiers[Number(/^\/hooks\/(\d+)$/.exec(request.url ?? '')?.[1] ?? NaN)];
      const id = String(request.headers['webhook-id'] ?? '');
      try {
        if (!verifier) throw new Error('no such subscription');
        const message = verifier.verify(Buffer.concat(chunks).toString('utf8'), request.headers as Record<string, string>) as { timestamp: string; data: { complaintId?: string } };
        if (this.seenIds.has(id)) this.duplicates++;
        this.seenIds.add(id);
        const complaintId = message.data.complaintId;
        if (complaintId && !this.arrivals.has(complaintId)) this.arrivals.set(complaintId, { receivedAt, committedAt: Date.parse(message.timestamp) });
      } catch {
        this.unverified++;
      }
      response.writeHead(200).end();
    });
  }

  /**
   * Waits until every complaint the run stored (its idempotency keys start with `prefix`) has its
   * message, at most `limitSeconds`; then stops the receiver and answers the figures.
   */
  async finish(databaseUrl: string, prefix: string, limitSeconds: number): Promise<WebhookLagFigures> {
    const started = Date.now();
    const pattern = `${prefix.replace(/[%_\\]/g, '\\$&')}%`;
    const expected = await withClient(databaseUrl, async (client) => (await client.query(`select id from complaints.complaint where idempotency_key like $1`, [pattern])).rows.map((row: { id: string }) => row.id as string));
    const missing = () => expected.filter((id) => !this.arrivals.has(id)).length;
    while (missing() > 0 && Date.now() - started < limitSeconds * 1000) await new Promise((resolve) => setTimeout(resolve, 200));
    const waitedSeconds = round((Date.now() - started) / 1000, 1);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    const lags = expected.flatMap((id) => {
      const arrival = this.arrivals.get(id);
      return arrival ? [arrival.receivedAt - arrival.committedAt] : [];
    });
    return {
      subscriptions: this.verifiers.length,
      expected: expected.length,
      arrived: lags.length,
      missing: expected.length - lags.length,
      duplicates: this.duplicates,
      unverified: this.unverified,
      lagMs: percentiles(lags),
      waitedSeconds,
    };
  }
}
