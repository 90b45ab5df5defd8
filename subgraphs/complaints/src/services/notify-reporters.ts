import type { EntityManager } from '@mikro-orm/postgresql';
import { logger, Rounds } from '@lapor-hub/lib';
import { scheduleJob, type JobSchedule } from '@lapor-hub/lib/database';
import { supportSealBinding, type ContactSeal, type ReporterContactDetails } from '../domain/contact-sealing';
import { composeEmail, composeSms, type MessageFacts } from '../notifications/messages';
import { createTransports, DeliveryError, type Channel, type OutgoingMessage, type TransportConfig, type Transports } from '../notifications/transports';
import { unsubscribeToken, unsubscribeUrl } from '../notifications/unsubscribe-links';
import { ReporterMessageRepository, type ClaimedMessage } from '../reporter-message-repository';
import { SWEEP_JOB_SCHEMA } from './sweep-schedule';

export interface NotifierOptions {
  transports: Transports;
  /** The gateway's public address, which the messages' links point at (`https://lapor.go.id`). */
  publicUrl: string;
  /** Signs the stop links (see `unsubscribeToken`). */
  linkSecret: Uint8Array;
  contactSeal: ContactSeal;
  /** The directory's names of nodes, for the messages that say where a complaint went. */
  agencyNames: (ids: readonly string[]) => Promise<Map<string, string>>;
  /** First retry after a failed send; doubling per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A message still failing this long after it was written is given up (FAILED). */
  giveUpAfterMs?: number;
}

const BATCH = 50;
// Longer than the slowest send a transport allows (its timeouts), so that a message is never
// claimed again while its first worker is still sending it.
const LEASE_MS = 2 * 60_000;
// Said where a message names a node the directory no longer knows.
const UNKNOWN_AGENCY = 'instansi yang berwenang';

type Outcome = { channel: Channel; sent: true } | { channel: Channel; sent: false; reason: string; permanent: boolean };

/**
 * Sends the reporters' outbox, at least once and never inside a request: a change writes its
 * message in its own transaction and calls `kick` after the commit; a schedule (`sendDue`) picks up
 * whatever a kick missed and the retries. The contact is unsealed here only, one message at a time,
 * and neither it nor a transport's error text is ever logged: logs name the message id, the
 * tracking id, the channel and a reason.
 */
export class ReporterNotifier {
  private readonly rounds: Rounds;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly giveUpAfterMs: number;

  constructor(
    private readonly em: () => EntityManager,
    private readonly options: NotifierOptions,
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.retryMaxMs = options.retryMaxMs ?? 60 * 60_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 3 * 24 * 60 * 60_000;
    // No timer of its own: the job schedule kicks it (see `startReporterNotifier`).
    this.rounds = new Rounds('reporter notifier', (stopping) => this.sendDue(new Date(), stopping), 0);
  }

  /** Sends what is due, soon, without waiting for it; a kick during a round runs one more round. */
  kick(): void {
    this.rounds.kick();
  }

  /** Lets the batch under way finish and starts no other (on shutdown): what is left waits in the outbox. */
  async stop(): Promise<void> {
    await this.rounds.stop();
  }

  /**
   * Sends every message due at `now`, a batch at a time, until none is left or `stopping()`;
   * resolves to how many were sent.
   */
  async sendDue(now: Date = new Date(), stopping: () => boolean = () => false): Promise<number> {
    const messages = new ReporterMessageRepository(this.em());
    let sent = 0;
    for (;;) {
      if (stopping()) return sent;
      const batch = await messages.claimDue(now, BATCH, LEASE_MS);
      if (batch.length === 0) return sent;
      const names = await this.namesFor(batch);
      for (const message of batch) {
        try {
          if (await this.send(messages, message, names)) sent++;
        } catch (error) {
          // Its lease runs out and it is claimed again: the others of the batch go on meanwhile.
          logger.error({ err: error, messageId: message.id, trackingId: message.trackingId }, 'reporter message failed');
        }
      }
      // Round again until nothing is due: a message sent lets the next of its complaint go, and
      // one retried is due after `now`, so the round ends.
    }
  }

  private async namesFor(batch: ClaimedMessage[]): Promise<Map<string, string> | null> {
    const ids = batch.flatMap((message) => (message.agencyId ? [message.agencyId] : []));
    // The directory being down delays the messages that name a node; the others go now.
    return ids.length === 0 ? new Map() : this.options.agencyNames(ids).catch(() => null);
  }

  /** Sends one claimed message on each channel its reporter left; resolves to whether one went out. */
  private async send(messages: ReporterMessageRepository, message: ClaimedMessage, names: Map<string, string> | null): Promise<boolean> {
    const log = { messageId: message.id, trackingId: message.trackingId, kind: message.kind };
    const now = () => new Date();
    if (message.stopped) {
      await messages.finish(message.id, 'SKIPPED', message.delivered, 'stopped by the reporter', now());
      return false;
    }
    if (message.agencyId && !names) {
      await this.retryLater(messages, message, message.delivered, 'agency directory unavailable');
      return false;
    }
    if (!message.sealed) {
      await messages.finish(message.id, 'SKIPPED', message.delivered, 'no address', now());
      return false;
    }
    let contact: ReporterContactDetails;
    try {
      contact = this.options.contactSeal.open(message.supportId ? supportSealBinding(message.supportId) : message.complaintId, message.sealed);
    } catch {
      logger.error(log, 'reporter contact does not open; message given up');
      await messages.finish(message.id, 'FAILED', message.delivered, 'contact does not open', now());
      return false;
    }
    const outgoing = this.outgoing(message, contact, names ?? new Map()).filter((each) => !message.delivered.includes(each.channel));
    const outcomes: Outcome[] = [];
    for (const each of outgoing) outcomes.push(await this.deliver(each));
    const delivered = [...message.delivered, ...outcomes.flatMap((outcome) => (outcome.sent ? [outcome.channel] : []))];
    const failed = outcomes.filter((outcome): outcome is Extract<Outcome, { sent: false }> => !outcome.sent);
    for (const failure of failed) logger.warn({ ...log, channel: failure.channel, reason: failure.reason, permanent: failure.permanent }, 'reporter message not sent');
    const transient = failed.find((failure) => !failure.permanent);
    if (transient) {
      await this.retryLater(messages, message, delivered, transient.reason);
    } else if (delivered.length > 0) {
      await messages.finish(message.id, 'SENT', delivered, failed[0]?.reason ?? null, now());
      logger.info({ ...log, channels: delivered }, 'reporter message sent');
    } else if (failed.length > 0) {
      await messages.finish(message.id, 'FAILED', delivered, failed[0].reason, now());
    } else {
      // Nothing to send it with: the contact holds only a name, or only a channel this hub does not send.
      await messages.finish(message.id, 'SKIPPED', delivered, contact.email || contact.phone ? 'no transport' : 'no address', now());
    }
    return delivered.length > message.delivered.length;
  }

  private async retryLater(messages: ReporterMessageRepository, message: ClaimedMessage, delivered: string[], reason: string): Promise<void> {
    const at = new Date();
    if (at.getTime() - message.createdAt.getTime() >= this.giveUpAfterMs) {
      logger.error({ messageId: message.id, trackingId: message.trackingId, kind: message.kind, reason }, 'reporter message given up after retries');
      await messages.finish(message.id, 'FAILED', delivered, reason, at);
      return;
    }
    const delay = Math.min(this.retryBaseMs * 2 ** (message.attempts - 1), this.retryMaxMs);
    // Jitter, so that messages held back by one outage do not all come back in the same second.
    await messages.retryAt(message.id, delivered, reason, new Date(at.getTime() + delay * (0.75 + Math.random() / 2)));
  }

  /**
   * The message on each channel the contact has and a transport serves. A supporter's is worded
   * for a supporter and its stop link stops that supporter's messages only.
   */
  private outgoing(message: ClaimedMessage, contact: ReporterContactDetails, names: Map<string, string>): OutgoingMessage[] {
    const facts = factsOf(message, names);
    const recipient = message.supportId ? 'SUPPORTER' : 'REPORTER';
    const token = unsubscribeToken(message.trackingId, message.complaintId, this.options.linkSecret, message.supportId);
    const links = { portalUrl: `${this.options.publicUrl.replace(/\/+$/, '')}/`, unsubscribeUrl: unsubscribeUrl(this.options.publicUrl, token) };
    const reference = `${message.id.padStart(10, '0')}-${message.trackingId}-${message.kind}`;
    const outgoing: OutgoingMessage[] = [];
    if (contact.email && this.options.transports.email) {
      outgoing.push({ channel: 'email', reference, to: contact.email, ...composeEmail(facts, links, recipient), unsubscribeUrl: links.unsubscribeUrl });
    }
    if (contact.phone && this.options.transports.sms) {
      outgoing.push({ channel: 'sms', reference, to: contact.phone, text: composeSms(facts, links, recipient) });
    }
    return outgoing;
  }

  private async deliver(message: OutgoingMessage): Promise<Outcome> {
    try {
      if (message.channel === 'email') await this.options.transports.email!.send(message);
      else await this.options.transports.sms!.send(message);
      return { channel: message.channel, sent: true };
    } catch (error) {
      if (error instanceof DeliveryError) return { channel: message.channel, sent: false, reason: error.reason, permanent: error.permanent };
      // An error of no known shape may quote the address: only its code or class is kept.
      const { code, name } = error as { code?: unknown; name?: unknown };
      return { channel: message.channel, sent: false, reason: `${message.channel} ${String(code ?? name ?? 'error')}`, permanent: false };
    }
  }
}

function factsOf(message: ClaimedMessage, names: Map<string, string>): MessageFacts {
  const common = { trackingId: message.trackingId, title: message.title };
  const agencyName = (message.agencyId && names.get(message.agencyId)) || UNKNOWN_AGENCY;
  switch (message.kind) {
    case 'RECEIVED':
      return { kind: 'RECEIVED', ...common };
    case 'FORWARDED':
      return { kind: 'FORWARDED', ...common, agencyName };
    case 'FOLLOWED_UP':
      return { kind: 'FOLLOWED_UP', ...common, agencyName, followUp: message.followUp ?? '' };
    case 'CLOSED':
      return { kind: 'CLOSED', ...common, closedBy: message.closedBy ?? 'SYSTEM' };
  }
}

export const NOTIFY_QUEUE = 'complaints-notify-reporters';

/** How the reporters' messages are sent (see `createTransports`) and how often the outbox is swept. */
export interface ReporterNotificationsOptions {
  transports: TransportConfig;
  publicUrl: string;
  linkSecret: Uint8Array;
  /** Picks up retries and whatever a kick missed: pg-boss on a PostgreSQL server, a timer on the embedded one. */
  schedule: JobSchedule;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** Starts the notifier on the service's database; resolves to it and its stopper. */
export async function startReporterNotifier(
  em: () => EntityManager,
  options: ReporterNotificationsOptions & Pick<NotifierOptions, 'contactSeal' | 'agencyNames'>,
): Promise<{ notifier: ReporterNotifier; stop: () => Promise<void> }> {
  const transports = createTransports(options.transports);
  const notifier = new ReporterNotifier(em, { ...options, transports });
  const stopSchedule = await scheduleJob(options.schedule, {
    queue: NOTIFY_QUEUE,
    jobSchema: SWEEP_JOB_SCHEMA,
    run: async () => notifier.kick(),
  });
  notifier.kick();
  return {
    notifier,
    stop: async () => {
      await stopSchedule();
      await notifier.stop();
      await transports.close();
    },
  };
}
