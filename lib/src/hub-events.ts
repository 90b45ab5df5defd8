import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { logger } from './logger';
import { Rounds } from './rounds';
import { ServiceRefusedError, type ServiceClient } from './service-client';
import { execute, sql, type SqlFragment } from './sql';

/** What the hub tells agency systems about (the webhooks subgraph's `WebhookEvent`). */
export const WEBHOOK_EVENTS = [
  'COMPLAINT_SUBMITTED',
  'COMPLAINT_ASSIGNED',
  'COMPLAINT_FOLLOWED_UP',
  'COMPLAINT_REPLIED',
  'COMPLAINT_CLOSED',
  'COMPLAINT_OVERDUE',
  'ESCALATION_RECEIVED',
  'ESCALATION_ANSWERED',
  'ESCALATION_OVERDUE',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/**
 * Something that happened, as the subgraph that caused it reports it to the webhooks subgraph
 * (`recordHubEvents`). The producer decides who may hear of it, by its own access rules:
 * `agencyIds` (the nodes it concerns and their ancestors) and `supervisory` (the Inspectorate's
 * alone). `payload` is what agency systems receive: ids, statuses, deadlines, nodes; never a
 * reporter's identity (the webhooks subgraph refuses any other key).
 */
export interface HubEvent {
  /** Also the idempotency key: the same id is recorded once, however often it is sent. */
  id: string;
  type: WebhookEventType;
  occurredAt: Date;
  agencyIds: string[];
  supervisory: boolean;
  confidential: boolean;
  complaintId: string | null;
  escalationId: string | null;
  payload: Record<string, unknown>;
}

/**
 * The id of an event that must be reported once however often it is found (a deadline that
 * passed, seen by every run of a sweep): a UUID (version 5 layout) derived from what identifies it.
 */
export function deterministicEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A producer's outbox of hub events: `<schema>.hub_event_outbox`. */
export function hubEventOutbox(schema: string): SqlFragment {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  return sql.raw(`"${schema}"."hub_event_outbox"`);
}

/** The DDL of a producer's outbox (for its migration): sent in order of `seq`, each row once. */
export function hubEventOutboxDdl(schema: string): string[] {
  const table = hubEventOutbox(schema).text;
  return [
    `create table ${table} (
      "id" uuid primary key,
      "seq" bigint generated always as identity,
      "type" text not null,
      "occurred_at" timestamptz not null,
      "agency_ids" text[] not null,
      "supervisory" boolean not null,
      "confidential" boolean not null,
      "complaint_id" uuid null,
      "escalation_id" uuid null,
      "payload" jsonb not null,
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz not null default now(),
      "sent_at" timestamptz null,
      "last_error" text null
    );`,
    `create index "hub_event_outbox_pending_idx" on ${table} ("seq") where "sent_at" is null;`,
    `create index "hub_event_outbox_sent_idx" on ${table} ("sent_at") where "sent_at" is not null;`,
  ];
}

/**
 * Writes events to the producer's outbox on `em`, which must be the transaction of the change that
 * caused them: committed together or not at all. An id already written is left as it is (a
 * sweep's deadline event, written again on its next run).
 */
export async function writeHubEvents(em: EntityManager, schema: string, events: readonly HubEvent[]): Promise<void> {
  if (events.length === 0) return;
  await execute(em, hubEventsInsert(schema, events));
}

/** The insert of `writeHubEvents`, to be sent with the other writes of its change in one statement (`writeTogether`); at least one event. */
export function hubEventsInsert(schema: string, events: readonly HubEvent[]): SqlFragment {
  const values = events.map(
    (event) =>
      sql`(${event.id}::uuid, ${event.type}, ${event.occurredAt}::timestamptz, ${sql.textArray(event.agencyIds)}, ${event.supervisory}, ${event.confidential},
           ${event.complaintId}::uuid, ${event.escalationId}::uuid, ${JSON.stringify(event.payload)}::jsonb)`,
  );
  return sql`insert into ${hubEventOutbox(schema)} (id, type, occurred_at, agency_ids, supervisory, confidential, complaint_id, escalation_id, payload)
        values ${sql.join(values, ', ')} on conflict (id) do nothing`;
}

const RECORD = `mutation Record($input: RecordHubEventsInput!) { recordHubEvents(input: $input) { recorded deliveries } }`;

interface OutboxRow {
  id: string;
  /** bigint, which the driver returns as a string. */
  seq: string;
  type: WebhookEventType;
  occurred_at: Date;
  agency_ids: string[];
  supervisory: boolean;
  confidential: boolean;
  complaint_id: string | null;
  escalation_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface HubEventRelayOptions {
  /** How often the outbox is looked at (besides a `kick` after each commit that wrote to it). */
  everyMs?: number;
  /** First retry delay after a failed send; it doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long a claimed batch is left to its relay before another may claim it again. */
  leaseMs?: number;
  batch?: number;
  /** Sent events are kept this long (a sweep's deadline event is recognised by its id meanwhile), then deleted. */
  keepSentMs?: number;
}

// Statements of the relay carry this mark, so that tests counting a request's statements can tell them apart.
const MARK = sql.raw('/* hub-event-relay */ ');

/**
 * Sends a producer's outbox to the webhooks subgraph (`recordHubEvents`), at least once and in
 * order: a round claims the oldest unsent events for a lease only when the oldest of all is due,
 * under an advisory lock, so that one relay at a time (of all replicas) has events in flight and
 * none overtakes an earlier one; they are marked sent once the webhooks subgraph recorded them,
 * else retried with backoff. The webhooks subgraph records each id once, so a batch sent twice
 * (a relay that died after sending) changes nothing.
 */
export class HubEventRelay {
  private readonly rounds: Rounds;
  private lastPurge = 0;
  private readonly options: Required<HubEventRelayOptions>;
  private readonly table: SqlFragment;

  constructor(
    private readonly em: () => EntityManager,
    private readonly schema: string,
    private readonly webhooks: ServiceClient,
    options: HubEventRelayOptions = {},
  ) {
    this.options = { everyMs: 1000, retryBaseMs: 1000, retryMaxMs: 60_000, leaseMs: 30_000, batch: 100, keepSentMs: 2 * 86_400_000, ...options };
    this.table = hubEventOutbox(schema);
    this.rounds = new Rounds(`hub event relay (${schema})`, (stopping) => this.sendPending(stopping), this.options.everyMs);
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** A round now (after a commit that wrote events), or right after the one under way; never waited for. */
  kick(): void {
    this.rounds.kick();
  }

  /** Rounds until the outbox is empty or its head must wait; resolves to how many events were sent. */
  async sendPending(stopping: () => boolean = () => false): Promise<number> {
    let sent = 0;
    while (!stopping()) {
      const rows = await this.claim();
      if (rows.length === 0) break;
      const done = await this.send(rows);
      sent += done;
      if (done < rows.length || rows.length < this.options.batch) break;
    }
    await this.purgeSent();
    return sent;
  }

  private async claim(): Promise<OutboxRow[]> {
    const rows = await execute<OutboxRow>(
      this.em(),
      sql`${MARK}with claim as (select pg_try_advisory_xact_lock(hashtext(${`lapor-hub-events:${this.schema}`})) as held),
          head as (select o.next_attempt_at from ${this.table} o where o.sent_at is null order by o.seq limit 1),
          batch as (
            select o.id from ${this.table} o, claim, head
            where claim.held and head.next_attempt_at <= now() and o.sent_at is null and o.next_attempt_at <= now()
            order by o.seq limit ${this.options.batch}
            for update of o
          )
          update ${this.table} o set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${this.options.leaseMs / 1000})
          from batch where o.id = batch.id
          returning o.id, o.seq, o.type, o.occurred_at, o.agency_ids, o.supervisory, o.confidential, o.complaint_id, o.escalation_id, o.payload, o.attempts`,
    );
    // `returning` gives no order.
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /** Sends claimed events in order; resolves to how many were recorded or refused for good. */
  private async send(rows: OutboxRow[]): Promise<number> {
    try {
      await this.record(rows);
      await this.mark(rows.map((row) => row.id), null);
      return rows.length;
    } catch (error) {
      if (error instanceof ServiceRefusedError && rows.length > 1) {
        // One malformed event must not hold the others back: each is sent on its own, in order.
        let done = 0;
        for (const row of rows) {
          if ((await this.send([row])) === 0) return done;
          done++;
        }
        return done;
      }
      if (error instanceof ServiceRefusedError) {
        logger.error({ eventId: rows[0].id, code: error.downstreamCode, schema: this.schema }, 'hub event refused by the webhooks service');
        await this.mark([rows[0].id], `${error.downstreamCode}: ${error.message}`.slice(0, 500));
        return 1;
      }
      const delay = Math.min(this.options.retryBaseMs * 2 ** (rows[0].attempts - 1), this.options.retryMaxMs);
      await execute(
        this.em(),
        sql`${MARK}update ${this.table} set next_attempt_at = now() + make_interval(secs => ${delay / 1000}), last_error = ${error instanceof Error ? error.message.slice(0, 500) : 'send failed'}
            where id = any(${rows.map((row) => row.id)})`,
      );
      logger.warn({ schema: this.schema, attempts: rows[0].attempts }, 'hub events not sent; will retry');
      return 0;
    }
  }

  private async record(rows: OutboxRow[]): Promise<void> {
    const events = rows.map((row) => ({
      id: row.id,
      type: row.type,
      occurredAt: new Date(row.occurred_at).toISOString(),
      agencyIds: row.agency_ids,
      supervisory: row.supervisory,
      confidential: row.confidential,
      complaintId: row.complaint_id,
      escalationId: row.escalation_id,
      payload: row.payload,
    }));
    await this.webhooks.request(RECORD, { input: { events } });
  }

  private async mark(ids: string[], error: string | null): Promise<void> {
    await execute(this.em(), sql`${MARK}update ${this.table} set sent_at = now(), last_error = ${error} where id = any(${ids})`);
  }

  private async purgeSent(): Promise<void> {
    if (Date.now() - this.lastPurge < 600_000) return;
    this.lastPurge = Date.now();
    await execute(this.em(), sql`${MARK}delete from ${this.table} where sent_at < now() - make_interval(secs => ${this.options.keepSentMs / 1000})`);
  }
}
