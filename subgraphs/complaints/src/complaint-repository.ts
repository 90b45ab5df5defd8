import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  countsPerOwner,
  execute,
  insertRows,
  isUuid,
  keysetAfter,
  pagesPerOwner,
  readRows,
  sql,
  writeTogether,
  type Connection,
  type KeyColumn,
  type OwnedRows,
  type PageArgs,
  type SqlFragment,
} from '@lapor-hub/lib';
import { groupBy, hubEventsInsert, type HubEvent } from '@lapor-hub/lib/database';
import { ComplaintSchema, type Complaint, type ComplaintStatus } from './entities/complaint';
import { FollowUpSchema, type FollowUp } from './entities/follow-up';
import { ReporterContactSchema, type ReporterContact } from './entities/reporter-contact';
import { TimelineEntrySchema, type TimelineEntry } from './entities/timeline-entry';
import { ReporterMessageRepository } from './reporter-message-repository';

/** Which of an agency's relations to complaints a listing follows. */
export type AgencyRelation = 'assigned' | 'addressed';
const RELATION_COLUMN: Record<AgencyRelation, string> = {
  assigned: 'assigned_agency_id',
  addressed: 'addressed_agency_id',
};

export interface ComplaintFilter {
  relation: AgencyRelation;
  status: ComplaintStatus | null;
  /** true: the current step's deadline has passed; false: it has not (or there is none). */
  overdue: boolean | null;
  /** Leave confidential complaints out (public viewers). */
  publicOnly: boolean;
  /** Only supervisory complaints (true), none of them (false), or both (null). */
  supervisory: boolean | null;
  /** Only complaints about this district (kecamatan). */
  districtCode: string | null;
}

/** A page of an agency's complaints, as a list field of `Agency` answers it. */
export type ComplaintPage = Connection<Complaint>;

/** How much of a complaint's text the duplicate search compares: the title and the body's start. */
const DUPLICATE_TEXT_CHARACTERS = 600;

/** Lists run newest first; the cursor is the row's (submittedAt, id). */
export function complaintSortKey(complaint: Complaint): unknown[] {
  return [complaint.submittedAt.toISOString(), complaint.id];
}

const LIST_KEY: readonly KeyColumn[] = [
  { column: 'c.submitted_at', type: 'timestamptz' },
  { column: 'c.id', type: 'uuid' },
];

/** An agency's complaints as a list of its: by the relation's column, with the filter's conditions. */
const listed = (filter: ComplaintFilter): OwnedRows => ({
  table: sql`complaints.complaint c`,
  alias: 'c',
  owner: sql.raw(`c.${RELATION_COLUMN[filter.relation]}`),
  where: filterSql(filter),
  key: LIST_KEY,
});

// The deadline as PostgreSQL holds it, to the microsecond (`due_key` below): a JS Date
// (milliseconds) in the cursor would sort before a row with sub-millisecond digits and serve that
// row again on the next page.
const BREACHED_KEY: readonly KeyColumn[] = [
  { column: 'c.follow_up_due_at', type: 'timestamptz' },
  { column: 'c.id', type: 'uuid' },
];

/** A forwarded complaint whose follow-up deadline passed, as the escalation sweep reads it. */
export interface BreachedComplaintRow {
  complaintId: string;
  assignedAgencyId: string;
  followUpDueAt: Date;
  version: number;
  /** Supervisory: the escalation service marks the breach's escalation so (the Inspectorate's alone). */
  supervisory: boolean;
  /** The row's position in the scan, for the cursor: the deadline to the microsecond, and the id. */
  sortKey: [string, string];
}

function filterSql(filter: ComplaintFilter): SqlFragment {
  const conditions: SqlFragment[] = [];
  if (filter.status) conditions.push(sql` and c.status = ${filter.status}`);
  if (filter.districtCode) conditions.push(sql` and c.district_code = ${filter.districtCode}`);
  if (filter.overdue === true) conditions.push(sql` and c.current_due_at < now()`);
  if (filter.overdue === false) conditions.push(sql` and (c.current_due_at is null or c.current_due_at >= now())`);
  if (filter.publicOnly) conditions.push(sql` and not c.confidential`);
  if (filter.supervisory !== null) conditions.push(filter.supervisory ? sql` and c.supervisory` : sql` and not c.supervisory`);
  return sql.join(conditions, '');
}

/**
 * The complaint's mapped columns as `c.<column>`, for statements whose rows become entities: not
 * `c.*`, which would also carry the search vector.
 */
export function complaintColumns(em: EntityManager): SqlFragment {
  const columns = em.getMetadata().get(ComplaintSchema.meta.className).props.flatMap((prop) => prop.fieldNames ?? []);
  return sql.raw(columns.map((column) => `c.${column}`).join(', '));
}

/** Queries of complaints; each method is one SQL statement. */
export class ComplaintRepository {
  constructor(private readonly em: EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<Complaint[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? [] : this.em.find(ComplaintSchema, { id: { $in: valid } });
  }

  findById(id: string): Promise<Complaint | null> {
    return this.em.findOne(ComplaintSchema, { id });
  }

  /** The complaint's row, locked (`FOR UPDATE`) until the transaction this repository's EntityManager runs ends. */
  lockById(id: string): Promise<Complaint | null> {
    return this.em.findOne(ComplaintSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  findByTrackingId(trackingId: string): Promise<Complaint | null> {
    return this.em.findOne(ComplaintSchema, { trackingId });
  }

  /**
   * Files a new complaint with what comes with it in one statement, which commits on its own in
   * one round trip: the complaint, its first timeline entry, the reporter's sealed contact, the
   * reporter's receipt (`receipt`: they left an address or a number) and the hub events.
   */
  async file(complaint: Complaint, rest: { entry: TimelineEntry; contact: ReporterContact | null; receipt: boolean; events: readonly HubEvent[] }): Promise<void> {
    await writeTogether(this.em, [
      insertRows(this.em, ComplaintSchema, [complaint]),
      insertRows(this.em, TimelineEntrySchema, [rest.entry]),
      ...(rest.contact ? [insertRows(this.em, ReporterContactSchema, [rest.contact])] : []),
      ...(rest.receipt ? ReporterMessageRepository.receiptWrites(complaint.id, complaint.submittedAt) : []),
      ...(rest.events.length > 0 ? [hubEventsInsert('complaints', rest.events)] : []),
    ]);
  }

  findByIdempotencyKey(idempotencyScope: string, idempotencyKey: string): Promise<Complaint | null> {
    return this.em.findOne(ComplaintSchema, { idempotencyScope, idempotencyKey });
  }

  findReporters(complaintIds: readonly string[]): Promise<ReporterContact[]> {
    return this.em.find(ReporterContactSchema, { complaintId: { $in: complaintIds.filter(isUuid) } });
  }

  /** Rows of many complaints, oldest first, grouped by complaint. */
  async timelines(complaintIds: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
    const rows = await this.em.find(TimelineEntrySchema, { complaintId: { $in: complaintIds.filter(isUuid) } }, { orderBy: { at: 'asc', id: 'asc' } });
    return groupBy(rows, (row) => row.complaintId);
  }

  async followUps(complaintIds: readonly string[]): Promise<Map<string, FollowUp[]>> {
    const rows = await this.em.find(FollowUpSchema, { complaintId: { $in: complaintIds.filter(isUuid) } }, { orderBy: { postedAt: 'asc', id: 'asc' } });
    return groupBy(rows, (row) => row.complaintId);
  }

  /**
   * The open complaints most like `target` submitted since `since`, best first, up to `limit`:
   * of the same regency (or, without a region, addressed to the same node), not already closed as
   * a duplicate, scored by their text (trigram similarity of title and the body's start: 60%),
   * place (same village 25%, same district 20%, same regency 12.5%) and category (15%).
   * Only a text at least `minText` alike is a candidate.
   */
  async duplicateCandidates(target: Complaint, since: Date, limit: number, minText: number): Promise<{ complaint: Complaint; similarity: number }[]> {
    const text = (alias: string) => sql.raw(`left(${alias}.title || ' ' || ${alias}.body, ${DUPLICATE_TEXT_CHARACTERS})`);
    const targetText = `${target.title} ${target.body}`.slice(0, DUPLICATE_TEXT_CHARACTERS);
    const place = target.regionCode
      ? sql`c.region_code = ${target.regionCode}`
      : sql`c.region_code is null and c.addressed_agency_id = ${target.addressedAgencyId}`;
    const rows = await execute<Record<string, unknown>>(
      this.em,
      sql`select * from (
         select ${complaintColumns(this.em)},
                (0.6 * similarity(${text('c')}, ${targetText})
                 + 0.25 * case when c.village_code = ${target.villageCode} then 1 when c.district_code = ${target.districtCode} then 0.8 else 0.5 end
                 + 0.15 * coalesce((c.category_id = ${target.categoryId})::int, 0))::float8 as similarity,
                similarity(${text('c')}, ${targetText}) as text_similarity
         from complaints.complaint c
         where ${place} and c.status in ('SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP') and c.submitted_at >= ${since}
           and c.id <> ${target.id} and c.duplicate_of_id is null
       ) c where c.text_similarity >= ${minText}
       order by c.similarity desc, c.submitted_at desc, c.id desc limit ${limit}`,
    );
    return rows.map(({ similarity, text_similarity: _text, ...row }) => ({ complaint: this.em.map(ComplaintSchema, row), similarity: Number(similarity) }));
  }

  /** The complaints closed as duplicates of each of `originalIds`, oldest first. */
  async duplicatesOf(originalIds: readonly string[]): Promise<Map<string, Complaint[]>> {
    const rows = await this.em.find(ComplaintSchema, { duplicateOfId: { $in: originalIds.filter(isUuid) } }, { orderBy: { submittedAt: 'asc', id: 'asc' } });
    return groupBy(rows, (row) => row.duplicateOfId!);
  }

  /** How many supports each complaint has. */
  async supportCounts(complaintIds: readonly string[]): Promise<Map<string, number>> {
    const valid = complaintIds.filter(isUuid);
    if (valid.length === 0) return new Map();
    const rows = await execute<{ complaint_id: string; count: number }>(
      this.em,
      sql`select complaint_id, count(*)::int as count from complaints.support where complaint_id = any(${valid}) group by complaint_id`,
    );
    return new Map(rows.map((row) => [row.complaint_id, row.count]));
  }

  /**
   * Records a support once per complaint and key: a retry with the key adds nothing. A supporter
   * who left a contact is sent a receipt (see `ReporterMessageRepository`), written in the same
   * statement, so once too. Answers whether one was written.
   */
  async addSupport(support: { id: string; complaintId: string; idempotencyKey: string; sealed: Buffer | null; createdAt: Date }): Promise<boolean> {
    const receipts = await execute<{ id: string }>(
      this.em,
      sql`with added as (
         insert into complaints.support (id, complaint_id, idempotency_key, sealed, created_at)
         values (${support.id}, ${support.complaintId}, ${support.idempotencyKey}, ${support.sealed}, ${support.createdAt})
         on conflict (complaint_id, idempotency_key) do nothing
         returning id, complaint_id, sealed
       )
       insert into complaints.reporter_message (complaint_id, support_id, kind, created_at, next_attempt_at)
       select complaint_id, id, 'RECEIVED', ${support.createdAt}, ${support.createdAt} from added where sealed is not null
       returning id`,
    );
    return receipts.length > 0;
  }

  /** The complaint's latest follow-up: the one a reporter's reply answers. */
  async latestFollowUpId(complaintId: string): Promise<string | null> {
    const [row] = await execute<{ id: string }>(
      this.em,
      sql`select id from complaints.follow_up where complaint_id = ${complaintId} order by posted_at desc, id desc limit 1`,
    );
    return row?.id ?? null;
  }

  /** The same page of complaints for many agencies at once: one statement, an index walk per agency. */
  async pagesByAgency(agencyIds: string[], filter: ComplaintFilter, page: PageArgs): Promise<Map<string, Complaint[]>> {
    // Not `c.*`: the search vector stays in the database.
    const rows = await pagesPerOwner(this.em, { ...listed(filter), columns: complaintColumns(this.em) }, agencyIds, page);
    const complaints = readRows(this.em, ComplaintSchema, rows);
    return groupBy(complaints, (complaint) => (filter.relation === 'assigned' ? complaint.assignedAgencyId! : complaint.addressedAgencyId));
  }

  /**
   * One page of the FORWARDED complaints whose follow-up deadline is before `dueBefore`, earliest
   * deadline first (then by id), `page.first + 1` rows (the extra one tells that a next page exists).
   */
  async breached(dueBefore: Date, page: PageArgs): Promise<BreachedComplaintRow[]> {
    const rows = await execute<{ id: string; assigned_agency_id: string; follow_up_due_at: Date; version: number; supervisory: boolean; due_key: string }>(
      this.em,
      sql`select c.id, c.assigned_agency_id, c.follow_up_due_at, c.version, c.supervisory,
              to_char(c.follow_up_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as due_key
       from complaints.complaint c
       where c.status = 'FORWARDED' and c.follow_up_due_at < ${dueBefore}${keysetAfter(page.after, BREACHED_KEY, '>')}
       order by c.follow_up_due_at, c.id
       limit ${page.first + 1}`,
    );
    return rows.map((row) => ({
      complaintId: row.id,
      assignedAgencyId: row.assigned_agency_id,
      followUpDueAt: new Date(row.follow_up_due_at),
      version: row.version,
      supervisory: row.supervisory,
      sortKey: [row.due_key, row.id],
    }));
  }

  countsByAgency(agencyIds: string[], filter: ComplaintFilter): Promise<Map<string, number>> {
    return countsPerOwner(this.em, listed(filter), agencyIds);
  }

  /**
   * Closes up to `limit` FOLLOWED_UP complaints whose `closesAt` is at or before `now` (the reporter
   * stayed silent), recording the system as closer and writing the CLOSED message of each reporter
   * and supporter listening (see `ReporterMessageRepository`), in one statement; returns how many it closed.
   * The rows are locked with SKIP LOCKED, so replicas running it together never close a complaint
   * twice, and a closed complaint no longer matches, so running it again changes nothing.
   */
  async closeSilent(now: Date, limit: number): Promise<Complaint[]> {
    const rows = await execute(
      this.em,
      sql`with due as (
         select id from complaints.complaint
         where status = 'FOLLOWED_UP' and closes_at <= ${now}
         order by closes_at limit ${limit} for update skip locked
       ), closed as (
         update complaints.complaint c
         set status = 'CLOSED', closed_by = 'SYSTEM', closed_at = ${now}, closes_at = null, current_due_at = null,
             version = c.version + 1, updated_at = ${now}
         from due where c.id = due.id
         returning c.*
       ), told as (
         -- Due when written, whatever closing time the sweep was given.
         insert into complaints.reporter_message (complaint_id, kind, closed_by, created_at, next_attempt_at)
         select s.complaint_id, 'CLOSED', 'SYSTEM', now(), now()
         from closed join complaints.reporter_subscription s on s.complaint_id = closed.id and s.stopped_at is null
       ), supporters_told as (
         insert into complaints.reporter_message (complaint_id, support_id, kind, closed_by, created_at, next_attempt_at)
         select sp.complaint_id, sp.id, 'CLOSED', 'SYSTEM', now(), now()
         from closed join complaints.support sp on sp.complaint_id = closed.id and sp.sealed is not null and sp.stopped_at is null
       ), entries as (
         insert into complaints.timeline_entry (id, complaint_id, action, from_status, to_status, actor_kind, agency_id, note, at)
         select gen_random_uuid(), id, 'AUTO_CLOSE', 'FOLLOWED_UP', 'CLOSED', 'SYSTEM', assigned_agency_id,
                'Closed: no reply within 10 working days of the follow-up', ${now}
         from closed
       )
       select * from closed`,
    );
    return rows.map((row) => this.em.map(ComplaintSchema, row));
  }

  /**
   * Open complaints whose current deadline passed in `(since, now]`: the sweep reports each once
   * (its event's id names the deadline), so looking a while back costs repeats it drops, not events.
   */
  async deadlinePassed(since: Date, now: Date, limit: number, after: string | null): Promise<Complaint[]> {
    return this.em.find(
      ComplaintSchema,
      {
        status: { $in: ['SUBMITTED', 'VERIFIED', 'FORWARDED'] },
        currentDueAt: { $gt: since, $lte: now },
        ...(after ? { id: { $gt: after } } : {}),
      },
      { orderBy: { id: 'asc' }, limit },
    );
  }

  /** Clears the reporter tokens kept for retries whose idempotency window ended by `now`; returns how many. */
  async forgetReplayTokens(now: Date): Promise<number> {
    const rows = await execute<{ id: string }>(
      this.em,
      sql`update complaints.complaint set reporter_token_sealed = null, reporter_token_sealed_until = null
          where reporter_token_sealed_until <= ${now} returning id`,
    );
    return rows.length;
  }
}
