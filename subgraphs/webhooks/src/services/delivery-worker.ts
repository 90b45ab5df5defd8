import type { EntityManager } from '@mikro-orm/postgresql';
import { logger } from '@lapor-hub/lib';
import { DeliveryRepository, type ClaimedDelivery } from '../delivery-repository';
import { signMessage } from '../domain/message';
import { outcomeOf, retryDelayMs, type RetryPolicy } from '../domain/retry';
import type { UrlPolicy } from '../domain/url-policy';
import { DELIVERY_TIMEOUT_MS, sendMessage } from './sender';

export interface DeliveryWorkerOptions {
  retry: RetryPolicy;
  urls: UrlPolicy;
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
 * when the next retry falls due, and on the job schedule (pg-boss or a timer), which also picks up
 * what a replica that died left behind.
 */
export class DeliveryWorker {
  private running: Promise<unknown> | null = null;
  private again = false;
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
  }

  /** A round now, or right after the one under way; never waited for by the caller. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runRounds()
      .catch((error) => logger.error({ err: error }, 'webhook delivery round failed'))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        } else {
          void this.sleepUntilNextDue();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.running;
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

  private async sleepUntilNextDue(): Promise<void> {
    if (this.stopped) return;
    let due: Date | null = null;
    try {
      due = await new DeliveryRepository(this.em()).nextDueAt();
    } catch (error) {
      logger.warn({ err: error }, 'could not read the next webhook delivery time');
    }
    if (this.stopped) return;
    const wait = due ? Math.min(Math.max(due.getTime() - Date.now(), 0), this.idleMs) : this.idleMs;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.kick(), wait + 10);
    this.wakeTimer.unref();
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const repository = new DeliveryRepository(this.em());
    const message = signMessage(delivery, delivery.secrets, new Date());
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
