import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { logger, ServiceRefusedError } from '@lapor-hub/lib';
import type { ComplaintsClient } from '../complaints-client';
import { EscalationSchema } from '../entities/escalation';
import { OutboxEventSchema } from '../entities/outbox-event';

export interface RelayOptions {
  /** How often pending events are looked for. */
  everyMs?: number;
  /** First retry delay after a failed delivery; it doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

const BATCH = 20;

/**
 * Delivers outbox events to the complaints service, at least once: events are claimed with
 * FOR UPDATE SKIP LOCKED (so replicas share the work and never send one event twice at once),
 * marked delivered only after the complaints service confirmed, and retried with backoff
 * otherwise; an event the receiver refuses for good is recorded as refused. The receiver applies
 * each event id once, so a redelivery changes nothing.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly options: Required<RelayOptions>;

  constructor(
    private readonly em: () => EntityManager,
    private readonly complaints: ComplaintsClient,
    options: RelayOptions = {},
  ) {
    this.options = { everyMs: 1000, retryBaseMs: 1000, retryMaxMs: 60_000, ...options };
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delivers now (after a commit that wrote an event) unless a delivery round is under way. */
  kick(): void {
    this.running ??= this.deliverPending()
      .catch((error) => logger.error({ err: error }, 'outbox relay failed'))
      .finally(() => {
        this.running = null;
      });
  }

  /** One round: every event due now, in batches; resolves to how many were delivered. */
  async deliverPending(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const { claimed, succeeded } = await this.em().transactional(async (tx) => {
        const now = new Date();
        const events = await tx.find(
          OutboxEventSchema,
          { deliveredAt: null, nextAttemptAt: { $lte: now } },
          { orderBy: { createdAt: 'asc', id: 'asc' }, limit: BATCH, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
        );
        let ok = 0;
        for (const event of events) {
          try {
            const outcome = await this.complaints.applyAcceptance(event.id, event.payload);
            event.deliveredAt = new Date();
            event.lastError = null;
            const escalation = await tx.findOneOrFail(EscalationSchema, { id: event.payload.escalationId });
            escalation.reassignment = outcome === 'NOT_APPLIED_FINISHED' ? 'NOT_APPLIED_FINISHED' : 'APPLIED';
            ok++;
          } catch (error) {
            event.attempts += 1;
            if (error instanceof ServiceRefusedError) {
              // Refused for good (e.g. the complaint no longer exists): recorded, not retried forever.
              event.deliveredAt = new Date();
              event.lastError = `${error.downstreamCode}: ${error.message}`.slice(0, 500);
              const escalation = await tx.findOneOrFail(EscalationSchema, { id: event.payload.escalationId });
              escalation.reassignment = 'REFUSED';
              logger.error({ eventId: event.id, code: error.downstreamCode }, 'outbox event refused by the complaints service');
              continue;
            }
            event.lastError = error instanceof Error ? error.message.slice(0, 500) : 'delivery failed';
            const delay = Math.min(this.options.retryBaseMs * 2 ** (event.attempts - 1), this.options.retryMaxMs);
            event.nextAttemptAt = new Date(Date.now() + delay);
            logger.warn({ eventId: event.id, attempts: event.attempts }, 'outbox delivery failed; will retry');
          }
        }
        return { claimed: events.length, succeeded: ok };
      });
      delivered += succeeded;
      if (claimed < BATCH) return delivered;
    }
  }
}
