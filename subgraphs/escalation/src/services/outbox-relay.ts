import type { EntityManager } from '@mikro-orm/postgresql';
import { logger, Rounds, ServiceRefusedError } from '@lapor-hub/lib';
import type { ComplaintsClient } from '../complaints-client';
import { EscalationSchema } from '../entities/escalation';
import { OutboxEventSchema, type OutboxEvent } from '../entities/outbox-event';
import { OutboxRepository } from '../outbox-repository';

export interface RelayOptions {
  /** How often pending events are looked for. */
  everyMs?: number;
  /** First retry delay after a failed delivery; it doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long a claimed event is left to its relay before another may claim it again. */
  leaseMs?: number;
}

const BATCH = 20;

/**
 * Delivers outbox events to the complaints service, at least once: events are claimed for a lease
 * (so replicas share the work and never send one event twice at once, and no row stays locked
 * while the complaints service is asked), marked delivered only after it confirmed, and retried with backoff
 * otherwise; an event the receiver refuses for good is recorded as refused. The receiver applies
 * each event id once, so a redelivery changes nothing.
 */
export class OutboxRelay {
  private readonly rounds: Rounds;
  private readonly options: Required<RelayOptions>;

  constructor(
    private readonly em: () => EntityManager,
    private readonly complaints: ComplaintsClient,
    options: RelayOptions = {},
  ) {
    this.options = { everyMs: 1000, retryBaseMs: 1000, retryMaxMs: 60_000, leaseMs: 30_000, ...options };
    this.rounds = new Rounds('escalation outbox relay', (stopping) => this.deliverPending(stopping), this.options.everyMs);
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** Delivers now (after a commit that wrote an event), or right after the round under way. */
  kick(): void {
    this.rounds.kick();
  }

  /** One round: every event due now, in batches; resolves to how many were delivered. */
  async deliverPending(stopping: () => boolean = () => false): Promise<number> {
    let delivered = 0;
    while (!stopping()) {
      const now = new Date();
      const events = await new OutboxRepository(this.em()).claimDue(BATCH, now, new Date(now.getTime() + this.options.leaseMs));
      for (const event of events) {
        if (await this.deliver(event)) delivered++;
      }
      if (events.length < BATCH) return delivered;
    }
    return delivered;
  }

  /**
   * Sends one claimed event, then records the outcome in a short transaction of its own: no row is
   * locked while the complaints service is asked.
   */
  private async deliver(claimed: OutboxEvent): Promise<boolean> {
    let outcome: { reassignment: 'APPLIED' | 'NOT_APPLIED_FINISHED' | 'REFUSED'; error: string | null } | { retry: string };
    try {
      const applied = await this.complaints.applyAcceptance(claimed.id, claimed.payload);
      outcome = { reassignment: applied === 'NOT_APPLIED_FINISHED' ? 'NOT_APPLIED_FINISHED' : 'APPLIED', error: null };
    } catch (error) {
      if (error instanceof ServiceRefusedError) {
        // Refused for good (e.g. the complaint no longer exists): recorded, not retried forever.
        logger.error({ eventId: claimed.id, code: error.downstreamCode }, 'outbox event refused by the complaints service');
        outcome = { reassignment: 'REFUSED', error: `${error.downstreamCode}: ${error.message}`.slice(0, 500) };
      } else {
        outcome = { retry: error instanceof Error ? error.message.slice(0, 500) : 'delivery failed' };
      }
    }
    await this.em().transactional(async (tx) => {
      const event = await tx.findOneOrFail(OutboxEventSchema, { id: claimed.id });
      if ('retry' in outcome) {
        event.attempts += 1;
        event.lastError = outcome.retry;
        const delay = Math.min(this.options.retryBaseMs * 2 ** (event.attempts - 1), this.options.retryMaxMs);
        event.nextAttemptAt = new Date(Date.now() + delay);
        logger.warn({ eventId: event.id, attempts: event.attempts }, 'outbox delivery failed; will retry');
        return;
      }
      if (outcome.reassignment === 'REFUSED') event.attempts += 1;
      event.deliveredAt = new Date();
      event.lastError = outcome.error;
      const escalation = await tx.findOneOrFail(EscalationSchema, { id: event.payload.escalationId });
      escalation.reassignment = outcome.reassignment;
    });
    return !('retry' in outcome) && outcome.reassignment !== 'REFUSED';
  }
}
