import type { EntityManager } from '@mikro-orm/postgresql';
import { logger, Rounds } from '@lapor-hub/lib';
import { DeliveryRepository, type ClaimedDelivery } from '../delivery-repository';
import { signMessage } from '../domain/message';
import { outcomeOf, retryDelayMs, type RetryPolicy } from '../domain/retry';
import type { WebhookSecretKeyring } from '../domain/secret-sealing';
import type { UrlPolicy } from '../domain/url-policy';
import { DELIVERY_TIMEOUT_MS, sendMessage } from './sender';

export interface DeliveryWorkerOptions {
  retry: RetryPolicy;
  urls: UrlPolicy;
  /** Opens the subscriptions' signing secrets, only for the moment of signing. */
  keyring: WebhookSecretKeyring;
  timeoutMs?: number;
  /** Deliveries claimed (and sent concurrently) per round. */
  batch?: number;
  /** The longest the worker sleeps between rounds when nothing is due sooner. */
  idleMs?: number;
}

/**
 * Sends pending deliveries. Each round claims due ones (`DeliveryRepository.claimDue`: one
 * worker per delivery across replicas, in order per subscription and complaint), sends them with
 * no transaction open, and records each outcome. A round starts when an event is recorded (`kick`),
 * when the next retry falls due, every `idleMs`, and on the job schedule (pg-boss or a timer),
 * which also picks up what a replica that died left behind.
 */
export class DeliveryWorker {
  private readonly rounds: Rounds;
  private wakeTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly timeoutMs: number;
  private readonly batch: number;
  private readonly idleMs: number;

  constructor(
    private readonly em: () => EntityManager,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.batch = options.batch ?? 20;
    this.idleMs = options.idleMs ?? 60_000;
    this.rounds = new Rounds(
      'webhook delivery worker',
      async () => {
        await this.runRounds();
        await this.wakeWhenDue();
      },
      this.idleMs,
    );
  }

  start(): void {
    this.rounds.start();
    this.rounds.kick();
  }

  /** A round now, or right after the one under way; never waited for by the caller. */
  kick(): void {
    this.rounds.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.rounds.stop();
  }

  /** Rounds until nothing is due; resolves to how many deliveries were attempted. */
  async runRounds(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await new DeliveryRepository(this.em()).claimDue(this.batch, this.timeoutMs + 50_000);
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      attempted += claimed.length;
      if (claimed.length < this.batch || this.stopped) return attempted;
    }
  }

  /** A round when the next retry falls due, if that is sooner than the next idle round. */
  private async wakeWhenDue(): Promise<void> {
    const due = await new DeliveryRepository(this.em()).nextDueAt();
    if (this.stopped || !due || due.getTime() - Date.now() >= this.idleMs) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.kick(), Math.max(due.getTime() - Date.now(), 0) + 10);
    this.wakeTimer.unref();
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const repository = new DeliveryRepository(this.em());
    const secrets = this.options.keyring.open(delivery.subscriptionId, delivery.sealed);
    const message = signMessage(delivery, secrets.previous === null ? [secrets.current] : [secrets.current, secrets.previous], new Date());
    const result = await sendMessage(delivery.url, message, this.options.urls, this.timeoutMs);
    const outcome = outcomeOf(result.status);
    const error = result.error ?? (outcome === 'DELIVERED' ? null : `HTTP ${result.status}`);
    const record = { id: delivery.id, subscriptionId: delivery.subscriptionId, responseStatus: result.status, error };
    switch (outcome) {
      case 'DELIVERED':
        await repository.markDelivered(record);
        return;
      case 'GONE':
        await repository.disableSubscription(delivery.subscriptionId, `The receiver answered 410 Gone on ${new Date().toISOString()}`, record);
        logger.warn({ subscriptionId: delivery.subscriptionId }, 'webhook receiver gone; subscription disabled');
        return;
      case 'RETRY': {
        const retryAt = new Date(Date.now() + retryDelayMs(delivery.attempts, this.options.retry));
        const { failingSince } = await repository.markFailed(record, retryAt);
        if (Date.now() - failingSince.getTime() >= this.options.retry.disableAfterMs) {
          await repository.disableSubscription(
            delivery.subscriptionId,
            `Every delivery failed since ${failingSince.toISOString()} (last: ${record.error ?? 'no answer'})`,
            null,
          );
          logger.warn({ subscriptionId: delivery.subscriptionId }, 'webhook subscription failing too long; disabled');
        }
      }
    }
  }
}
