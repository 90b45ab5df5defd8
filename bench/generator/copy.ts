import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { formatInt } from '../common';
import type { AppliedEventRecord, ComplaintRecord, EscalationRecord, World } from './world';

/** The COPY writers: each generated record as a line of COPY's text format, streamed to the server. */

type CopyValue = string | number | boolean | null;

/** Rows streamed per COPY chunk. */
const CHUNK_ROWS = 500;
/** Complaints per COPY statement (one progress batch). */
const BATCH_ROWS = 100_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One COPY text-format line. */
function copyLine(values: CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += '\t';
    if (value === null) line += '\\N';
    else if (typeof value === 'string') line += /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeCopy) : value;
    else line += String(value);
  }
  return line + '\n';
}

function escapeCopy(char: string): string {
  return char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r';
}

/** A `text[]` value as COPY (and SQL) array literal. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Each column the generator fills, with the record's value for it. */
type Fields<T> = readonly (readonly [column: string, value: (record: T) => CopyValue])[];

const COMPLAINT_FIELDS: Fields<ComplaintRecord> = [
  ['id', (c) => c.id],
  ['tracking_id', (c) => c.trackingId],
  ['type', (c) => c.type],
  ['title', (c) => c.title],
  ['body', (c) => c.body],
  ['status', (c) => c.status],
  ['channel', (c) => c.channel],
  ['anonymous', (c) => c.anonymous],
  ['confidential', (c) => c.confidential],
  ['region_code', (c) => c.regionCode],
  ['category_id', (c) => c.categoryId],
  ['addressed_agency_id', (c) => c.addressedAgencyId],
  ['assigned_agency_id', (c) => c.assignedAgencyId],
  ['reporter_token_hash', (c) => c.reporterTokenHash],
  ['idempotency_key', () => null],
  ['submission_fingerprint', () => null],
  ['submitted_at', (c) => iso(c.submittedAt)],
  ['updated_at', (c) => iso(c.updatedAt)],
  ['version', (c) => c.version],
  ['verify_due_at', (c) => iso(c.verifyDueAt)],
  ['follow_up_due_at', (c) => iso(c.followUpDueAt)],
  ['closes_at', (c) => iso(c.closesAt)],
  ['current_due_at', (c) => iso(c.currentDueAt)],
  ['rejection_reason', (c) => c.rejectionReason],
  ['closed_by', (c) => c.closedBy],
  ['dispute_count', (c) => c.disputeCount],
  ['supervisory', (c) => c.supervisory],
  ['forwarded_at', (c) => iso(c.forwardedAt)],
  ['followed_up_at', (c) => iso(c.followedUpAt)],
  ['follow_up_working_days', (c) => c.followUpWorkingDays],
  ['closed_at', (c) => iso(c.closedAt)],
  ['holder_home_id', (c) => c.holder.homeId],
  ['holder_home_kind', (c) => c.holder.homeKind],
  ['holder_path', (c) => c.holder.pathLiteral],
];

/** Added by a later migration of the escalation subgraph, filled when the table has them; they come last, in this order. */
export const ESCALATION_OPTIONAL_COLUMNS = ['to_home_id', 'to_path', 'supervisory'];

const ESCALATION_FIELDS: Fields<EscalationRecord> = [
  ['id', (e) => e.id],
  ['complaint_id', (e) => e.complaintId],
  ['from_agency_id', (e) => e.fromAgencyId],
  ['to_agency_id', (e) => e.to.id],
  ['reason', (e) => e.reason],
  ['status', (e) => e.status],
  ['note', (e) => e.note],
  ['response_note', (e) => e.responseNote],
  ['created_by', (e) => e.createdBy],
  ['created_by_role', (e) => e.createdByRole],
  ['created_at', (e) => iso(e.createdAt)],
  ['respond_due_at', (e) => iso(e.respondDueAt)],
  ['responded_at', (e) => iso(e.respondedAt)],
  ['responded_by', (e) => e.respondedBy],
  ['responded_by_role', (e) => e.respondedByRole],
  ['breached_due_at', (e) => iso(e.breachedDueAt)],
  ['reassignment', (e) => e.reassignment],
  ['version', (e) => e.version],
  ['to_home_id', (e) => e.to.homeId],
  ['to_path', (e) => e.to.pathLiteral],
  ['supervisory', (e) => e.supervisory],
];

const APPLIED_EVENT_FIELDS: Fields<AppliedEventRecord> = [
  ['event_id', (a) => a.eventId],
  ['escalation_id', (a) => a.escalationId],
  ['complaint_id', (a) => a.complaintId],
  ['outcome', (a) => a.outcome],
  ['applied_at', (a) => iso(a.appliedAt)],
];

export const COMPLAINT_COLUMNS = COMPLAINT_FIELDS.map(([column]) => column);
export const ESCALATION_COLUMNS = ESCALATION_FIELDS.map(([column]) => column);

export const complaintLine = (complaint: ComplaintRecord) => copyLine(COMPLAINT_FIELDS.map(([, value]) => value(complaint)));

/** `count` complaints drawn from the world, by COPY in batches, with a progress line. */
export async function copyComplaints(client: Client, world: World, count: number): Promise<void> {
  const progress = new Progress(count, 'complaints');
  for (let batchStart = 0; batchStart < count; batchStart += BATCH_ROWS) {
    const batchEnd = Math.min(count, batchStart + BATCH_ROWS);
    const chunks = function* () {
      for (let i = batchStart; i < batchEnd; i += CHUNK_ROWS) {
        let text = '';
        const end = Math.min(batchEnd, i + CHUNK_ROWS);
        for (let j = i; j < end; j++) text += complaintLine(world.complaint());
        progress.update(end);
        yield text;
      }
    };
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy complaints.complaint (${COMPLAINT_COLUMNS.join(', ')}) from stdin`)));
  }
  progress.done();
}

/** The world's escalations into the columns the table has (`columns`: a prefix of ESCALATION_COLUMNS), and their applied events. */
export async function copyEscalations(client: Client, world: World, columns: string[]): Promise<void> {
  await copyRecords(client, 'escalation.escalation', ESCALATION_FIELDS.slice(0, columns.length), world.escalations);
  await copyRecords(client, 'complaints.applied_event', APPLIED_EVENT_FIELDS, world.appliedEvents);
}

async function copyRecords<T>(client: Client, table: string, fields: Fields<T>, records: T[]): Promise<void> {
  if (records.length === 0) return;
  const chunks = function* () {
    for (let i = 0; i < records.length; i += CHUNK_ROWS) {
      yield records
        .slice(i, i + CHUNK_ROWS)
        .map((record) => copyLine(fields.map(([, value]) => value(record))))
        .join('');
    }
  };
  const columns = fields.map(([column]) => column).join(', ');
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)));
}

/**
 * A reporter's sealed contact per line (`complaint_id`, `sealed`), by COPY. COPY's text format
 * takes bytea as hex after an escaped backslash.
 */
export async function copySealedContacts(client: Client, contacts: { complaintId: string; sealed: Buffer }[]): Promise<void> {
  const lines = contacts.map((contact) => `${contact.complaintId}\t\\\\x${contact.sealed.toString('hex')}\n`);
  await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(`copy complaints.reporter_contact (complaint_id, sealed) from stdin`)));
}

/** A `\r` progress line on stderr. */
class Progress {
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
  ) {}

  update(done: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const fraction = this.total === 0 ? 1 : done / this.total;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    process.stderr.write(
      `\r  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${formatInt(done)}/${formatInt(this.total)}  ${formatInt(rate)}/s  ${seconds.toFixed(0)}s elapsed, eta ${eta.toFixed(0)}s   `,
    );
  }

  done(): void {
    this.update(this.total, true);
    process.stderr.write('\n');
  }
}
