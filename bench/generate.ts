import './env';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { reporterTokenSecretFromEnv, startComplaintsService } from '@lapor-hub/complaints/src/server';
import { ContactSeal, reporterContactSecretFromEnv } from '@lapor-hub/complaints/src/domain/contact-sealing';
import { hashReporterToken, reporterTokenFor } from '@lapor-hub/complaints/src/domain/reporter-secrets';
import { startEscalationService } from '@lapor-hub/escalation/src/server';
import { authSecretsFromEnv, WorkingCalendar, type TimeZone } from '@lapor-hub/lib';
import {
  assertBenchDatabase,
  databaseExists,
  databaseName,
  DATASET_VERSION,
  DEFAULT_DATABASE_URL,
  formatInt,
  maintenanceUrl,
  META_TABLE,
  parseArgs,
  withClient,
  type DatasetMeta,
} from './common';
import {
  CATEGORY_NATIONAL_BODY,
  CATEGORY_UNIT,
  CATEGORY_WEIGHTS,
  complaintText,
  FastCalendar,
  INSPECTORATE_SLUG,
  loadPlaces,
  MS_PER_DAY,
  Random,
  REGIONAL_UNITS,
  REJECTION_REASONS,
  trackingId,
  unitSlug,
  uuid,
  Weighted,
  FIRST_NAMES,
  LAST_NAMES,
  type Place,
} from './nation';

/**
 * `npm run bench:generate -- --complaints 1000000 [--database-url …] [--fresh] [--seed 1]`
 *
 * Fills a PostgreSQL database with a nation: the hub's own directory (made by the services'
 * migrations and seeder), ~30 work units per province, regency and city, and N complaints of the
 * last two years in every status, with deadlines from the hub's working-day calendar, holders and
 * dashboard columns filled as the services fill them, plus a SUBMIT timeline entry, the follow-up
 * text and the reporter's contact where the workflow has them, and escalations of ~3% of the
 * forwarded complaints. Deterministic for a given seed (except `asOf`, the generation instant).
 */

export interface GenerateOptions {
  complaints: number;
  databaseUrl: string;
  /** Drop and recreate the database first. */
  fresh?: boolean;
  seed?: number;
  /** Progress and step lines (default: stderr). */
  log?: (line: string) => void;
}

const HOUR = 3_600_000;
const DAY = MS_PER_DAY;
const WINDOW_DAYS = 730;
const BATCH_ROWS = 100_000;
const CHUNK_ROWS = 500;

const STATUS_SHARES = Weighted.of({
  CLOSED_REPORTER: 22,
  CLOSED_SYSTEM: 33,
  REJECTED: 15,
  FORWARDED: 12,
  FOLLOWED_UP: 10,
  SUBMITTED: 5,
  VERIFIED: 3,
});
const CHANNELS = Weighted.of({ WEB: 34, MOBILE: 30, SMS: 15, SOCIAL_MEDIA: 13, LETTER: 4, WALK_IN: 4 });
const TYPES = Weighted.of({ COMPLAINT: 76, ASPIRATION: 19, INFORMATION_REQUEST: 5 });
const ADDRESSEES = Weighted.of({ REGENCY_OR_CITY: 62, PROVINCE: 14, MINISTRY: 15, NATIONAL: 4, OTHER_NATIONAL_BODY: 5 });
const ESCALATION_REASONS = Weighted.of({
  SLA_BREACH: 30,
  WRONG_AGENCY: 25,
  NEEDS_COORDINATION: 15,
  HIGHER_AUTHORITY: 12,
  REPORTER_DISPUTE: 10,
  SUPERVISORY: 8,
});

interface Node {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  timeZone: TimeZone;
  regionCode: string | null;
  parent: Node | null;
  /** Parent first, national node last. */
  ancestorIds: string[];
  homeId: string;
  homeKind: string;
  /** `holder_path` as a COPY text[] literal: the node, its home, every ancestor. */
  pathLiteral: string;
  units: Map<string, Node>;
  unitList: Node[];
  /** Regencies and cities of a province. */
  children: Node[];
}

type Row = (string | number | boolean | null)[];

/** One COPY text-format line. */
function copyLine(values: Row): string {
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

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
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

export async function generate(options: GenerateOptions): Promise<DatasetMeta> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  const seed = options.seed ?? 1;
  const url = options.databaseUrl;
  assertBenchDatabase(url);
  if (!Number.isSafeInteger(options.complaints) || options.complaints < 0) throw new Error('--complaints must be a whole number');

  // (a) The database, and its schemas as the services make them.
  const name = databaseName(url);
  const exists = await databaseExists(url);
  if (exists && options.fresh) {
    log(`dropping database ${name}`);
    await withClient(maintenanceUrl(url), (client) => client.query(`drop database ${name} with (force)`));
  }
  if (!exists || options.fresh) {
    log(`creating database ${name}`);
    await withClient(maintenanceUrl(url), (client) => client.query(`create database ${name}`));
  }
  log('starting the services once to run the migrations and seed the directory');
  await createSchemas(url);

  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table if not exists ${META_TABLE} (key text primary key, value jsonb not null)`);
    await client.query(`delete from ${META_TABLE}`);
    await client.query('set synchronous_commit = off');
    await client.query(`set maintenance_work_mem = '512MB'`);
    const emptied = await client.query('select exists (select 1 from complaints.complaint) as any');
    if (emptied.rows[0].any) {
      log('emptying the complaint and escalation tables');
      await client.query(`truncate complaints.complaint, complaints.reporter_contact, complaints.timeline_entry, complaints.follow_up,
        complaints.applied_event, escalation.escalation, escalation.outbox_event cascade`);
    }

    // (b) Work units of every regional government.
    const units = await insertUnits(client);
    log(`${formatInt(units)} work units in the directory`);

    const nation = await loadNation(client);
    const leaveDays = (await client.query(`select to_char(date, 'YYYY-MM-DD') as date from complaints.collective_leave_day`)).rows.map(
      (row: { date: string }) => row.date,
    );
    const asOf = Date.now();
    const random = new Random(seed);
    const calendar = new FastCalendar(new WorkingCalendar(leaveDays), new Date(asOf - (WINDOW_DAYS + 80) * DAY), new Date(asOf + 120 * DAY));
    calendar.selfCheck(new Random(seed + 1), new Date(asOf - WINDOW_DAYS * DAY), new Date(asOf + 60 * DAY));

    // (c) Complaints, by COPY, with the secondary indexes built afterwards (much faster than
    // maintaining thirteen indexes, one of them GIN, row by row). The dashboard tallies' triggers
    // are skipped too (they would fold each batch of 100,000 rows into the tallies from its
    // transition table); the tallies are filled once the complaints are in.
    await checkColumns(client);
    const dropped = await dropSecondaryIndexes(client, ['complaints.complaint', 'complaints.timeline_entry', 'complaints.follow_up']);
    await client.query(`set session_replication_role = replica`);
    const world = new World(nation, calendar, random, asOf);
    const escalationColumns = await escalationCopyColumns(client);
    const progress = new Progress(options.complaints, 'complaints');
    let written = 0;
    for (let batchStart = 0; batchStart < options.complaints; batchStart += BATCH_ROWS) {
      const batchEnd = Math.min(options.complaints, batchStart + BATCH_ROWS);
      const chunks = function* () {
        for (let i = batchStart; i < batchEnd; i += CHUNK_ROWS) {
          let text = '';
          const end = Math.min(batchEnd, i + CHUNK_ROWS);
          for (let j = i; j < end; j++) text += world.complaint();
          written = end;
          progress.update(written);
          yield text;
        }
      };
      await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy complaints.complaint (${COMPLAINT_COLUMNS.join(', ')}) from stdin`)));
    }
    progress.done();

    log(`${formatInt(world.escalations.length)} escalations, ${formatInt(world.appliedEvents.length)} applied reassignments`);
    await copyRows(client, `escalation.escalation (${escalationColumns.join(', ')})`, world.escalations.map((row) => row.slice(0, escalationColumns.length)));
    await copyRows(client, 'complaints.applied_event (event_id, escalation_id, complaint_id, outcome, applied_at)', world.appliedEvents);

    // A real table grows in submission order; the generator drew statuses first, so the rows
    // arrived in random time order. Rewrite the table in submission order, as years of inserts
    // would have laid it out (it matters for range scans and the planner's correlation figures).
    let step = Date.now();
    await client.query(`create index bench_cluster_submitted on complaints.complaint (submitted_at, id)`);
    await client.query(`cluster complaints.complaint using bench_cluster_submitted`);
    await client.query(`drop index complaints.bench_cluster_submitted`);
    log(`table laid out in submission order (${((Date.now() - step) / 1000).toFixed(1)} s)`);

    // Rows derived from the complaints, made by the server in one statement each (a sequential
    // scan, so in submission order too). The data is consistent by construction, so the
    // foreign-key triggers stay skipped for the bulk insert.
    step = Date.now();
    const timeline = await client.query(`
      insert into complaints.timeline_entry (id, complaint_id, action, from_status, to_status, actor_kind, agency_id, note, at)
      select gen_random_uuid(), c.id, 'SUBMIT', null, 'SUBMITTED', 'PUBLIC', c.addressed_agency_id, 'Submitted via ' || c.channel, c.submitted_at
      from complaints.complaint c`);
    log(`${formatInt(timeline.rowCount ?? 0)} SUBMIT timeline entries (${((Date.now() - step) / 1000).toFixed(1)} s)`);
    step = Date.now();
    const followUps = await client.query(`
      insert into complaints.follow_up (id, complaint_id, agency_id, author_role, body, posted_at)
      select gen_random_uuid(), c.id, c.assigned_agency_id, (array['LIAISON_OFFICER','LIAISON_OFFICER','AGENCY_ADMIN','AGENCY_SYSTEM'])[1 + (hashtext(c.id::text) & 3)],
             'Terima kasih atas laporan Anda. Laporan telah kami tindak lanjuti bersama unit terkait dan petugas sudah meninjau lokasi.',
             c.followed_up_at
      from complaints.complaint c where c.followed_up_at is not null`);
    log(`${formatInt(followUps.rowCount ?? 0)} follow-ups (${((Date.now() - step) / 1000).toFixed(1)} s)`);
    step = Date.now();
    const contacts = await sealContacts(client);
    log(`${formatInt(contacts)} reporter contacts, sealed (${((Date.now() - step) / 1000).toFixed(1)} s)`);
    await client.query(`set session_replication_role = origin`);
    step = Date.now();
    await client.query(`select complaints.rebuild_complaint_tallies()`);
    log(`dashboard tallies filled (${((Date.now() - step) / 1000).toFixed(1)} s)`);

    step = Date.now();
    await recreateIndexes(client, dropped, log);
    log(`indexes rebuilt (${((Date.now() - step) / 1000).toFixed(1)} s)`);
    step = Date.now();
    for (const table of [
      'agencies.agency',
      'complaints.complaint',
      'complaints.timeline_entry',
      'complaints.follow_up',
      'complaints.reporter_contact',
      'complaints.applied_event',
      'complaints.home_month_tally',
      'complaints.home_follow_up_tally',
      'complaints.nation_follow_up_tally',
      'escalation.escalation',
    ]) {
      await client.query(`vacuum (analyze) ${table}`);
    }
    log(`VACUUM ANALYZE (${((Date.now() - step) / 1000).toFixed(1)} s)`);

    const meta: DatasetMeta = {
      version: DATASET_VERSION,
      complaints: options.complaints,
      seed,
      asOf: new Date(asOf).toISOString(),
      generatedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      units,
      escalations: world.escalations.length,
      timelineEntries: timeline.rowCount ?? 0,
    };
    await client.query(`insert into ${META_TABLE} (key, value) values ('dataset', $1)`, [JSON.stringify(meta)]);
    const size = await client.query(`select pg_size_pretty(pg_database_size(current_database())) as size`);
    log(`done: ${formatInt(options.complaints)} complaints in ${meta.seconds} s; database ${name} is ${size.rows[0].size}`);
    return meta;
  } finally {
    await client.end();
  }
}

/** Starts each service once on port 0 (migrations, directory seeder), then stops it. */
async function createSchemas(url: string): Promise<void> {
  const secrets = authSecretsFromEnv();
  const agencies = await startAgenciesService({ databaseUrl: url, secrets, port: 0, poolMax: 2 });
  try {
    const complaints = await startComplaintsService({
      databaseUrl: url,
      secrets,
      port: 0,
      poolMax: 2,
      agenciesUrl: agencies.url,
      reporterTokenSecret: reporterTokenSecretFromEnv(),
      sweep: { mode: 'off' },
    });
    try {
      const escalation = await startEscalationService({
        databaseUrl: url,
        secrets,
        port: 0,
        poolMax: 2,
        agenciesUrl: agencies.url,
        complaintsUrl: complaints.url,
        slaSweep: { mode: 'off' },
      });
      await escalation.stop();
    } finally {
      await complaints.stop();
    }
  } finally {
    await agencies.stop();
  }
}

async function insertUnits(client: Client): Promise<number> {
  const parents = (
    await client.query<{ id: string; time_zone: string }>(`select id, time_zone from agencies.agency where kind in ('PROVINCE', 'REGENCY', 'CITY') order by id`)
  ).rows;
  const ids: string[] = [];
  const names: string[] = [];
  const acronyms: string[] = [];
  const parentIds: string[] = [];
  const zones: string[] = [];
  for (const parent of parents) {
    for (const unit of REGIONAL_UNITS) {
      ids.push(`${parent.id}.unit-${unitSlug(unit.name)}`);
      names.push(unit.name);
      acronyms.push(unit.acronym);
      parentIds.push(parent.id);
      zones.push(parent.time_zone);
    }
  }
  await client.query(
    `insert into agencies.agency (id, name, acronym, kind, region_code, parent_id, time_zone)
     select id, name, acronym, 'UNIT', null, parent_id, time_zone
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as u(id, name, acronym, parent_id, time_zone)
     on conflict (id) do nothing`,
    [ids, names, acronyms, parentIds, zones],
  );
  const { rows } = await client.query(`select count(*)::int as count from agencies.agency where kind = 'UNIT'`);
  return rows[0].count;
}

async function loadNation(client: Client): Promise<Map<string, Node>> {
  const rows = (
    await client.query<{ id: string; name: string; kind: string; parent_id: string | null; time_zone: TimeZone; region_code: string | null }>(
      `select id, name, kind, parent_id, time_zone, region_code from agencies.agency`,
    )
  ).rows;
  const nodes = new Map<string, Node>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      name: row.name,
      kind: row.kind,
      parentId: row.parent_id,
      timeZone: row.time_zone,
      regionCode: row.region_code,
      parent: null,
      ancestorIds: [],
      homeId: row.id,
      homeKind: row.kind,
      pathLiteral: '',
      units: new Map(),
      unitList: [],
      children: [],
    });
  }
  for (const node of nodes.values()) {
    node.parent = node.parentId ? (nodes.get(node.parentId) ?? null) : null;
    if (node.kind === 'UNIT' && node.parent) {
      node.parent.units.set(node.id.slice(node.parent.id.length + '.unit-'.length), node);
      node.parent.unitList.push(node);
    }
    if ((node.kind === 'REGENCY' || node.kind === 'CITY') && node.parent) node.parent.children.push(node);
  }
  for (const node of nodes.values()) {
    for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) node.ancestorIds.push(ancestor.id);
    if (node.kind === 'UNIT' && node.parent) {
      node.homeId = node.parent.id;
      node.homeKind = node.parent.kind;
    }
    // The hub's scopePath: the node, its home node and every ancestor, without repeats.
    node.pathLiteral = arrayLiteral([...new Set([node.id, node.homeId, ...node.ancestorIds])]);
  }
  return nodes;
}

const COMPLAINT_COLUMNS = [
  'id', 'tracking_id', 'type', 'title', 'body', 'status', 'channel', 'anonymous', 'confidential', 'region_code', 'category_id',
  'addressed_agency_id', 'assigned_agency_id', 'reporter_token_hash', 'idempotency_key', 'submission_fingerprint', 'submitted_at',
  'updated_at', 'version', 'verify_due_at', 'follow_up_due_at', 'closes_at', 'current_due_at', 'rejection_reason', 'closed_by',
  'dispute_count', 'supervisory', 'forwarded_at', 'followed_up_at', 'follow_up_working_days', 'closed_at', 'holder_home_id',
  'holder_home_kind', 'holder_path',
];

const ESCALATION_COLUMNS = [
  'id', 'complaint_id', 'from_agency_id', 'to_agency_id', 'reason', 'status', 'note', 'response_note', 'created_by', 'created_by_role',
  'created_at', 'respond_due_at', 'responded_at', 'responded_by', 'responded_by_role', 'breached_due_at', 'reassignment', 'version',
];
// Added by a later migration of the escalation subgraph; filled when the table has them.
const ESCALATION_OPTIONAL_COLUMNS = ['to_home_id', 'to_path', 'supervisory'];

/**
 * A reporter contact for 60% of the complaints. Names are drawn in SQL; each contact is then sealed
 * here, as the complaints service seals it (the key never reaches the database), and copied in.
 */
async function sealContacts(client: Client): Promise<number> {
  await client.query(
    `create temp table generated_contact as
     select c.id as complaint_id, n.first || ' ' || n.last as name,
            case when h & 4 = 0 then lower(n.first) || '.' || lower(n.last) || (h & 255) || '@gmail.com' end as email,
            case when h & 8 = 0 then '+628' || lpad((h::bigint * 7919 % 10000000000)::text, 10, '0') end as phone
     from complaints.complaint c
     cross join lateral (select hashtext(c.id::text) & 2147483647 as h) hashed
     cross join lateral (select ($1::text[])[1 + h % cardinality($1::text[])] as first,
                                ($2::text[])[1 + (h >> 8) % cardinality($2::text[])] as last) n
     where h % 10 < 6`,
    [FIRST_NAMES, LAST_NAMES],
  );
  const seal = new ContactSeal(reporterContactSecretFromEnv());
  let sealed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await client.query<{ complaint_id: string; name: string; email: string | null; phone: string | null }>(
      `select complaint_id, name, email, phone from generated_contact where complaint_id > $1 order by complaint_id limit 50000`,
      [after],
    );
    if (rows.length === 0) break;
    // COPY's text format takes bytea as hex after an escaped backslash.
    const lines = rows.map((row) => `${row.complaint_id}\t\\\\x${seal.seal(row.complaint_id, row).toString('hex')}\n`);
    await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(`copy complaints.reporter_contact (complaint_id, sealed) from stdin`)));
    sealed += rows.length;
    after = rows[rows.length - 1].complaint_id;
  }
  await client.query(`drop table generated_contact`);
  return sealed;
}

/** The schema is others' to change: fail clearly if a column this generator fills is gone or a new one needs a value. */
async function checkColumns(client: Client): Promise<void> {
  for (const [table, filled] of [
    ['complaint', COMPLAINT_COLUMNS],
    ['escalation', [...ESCALATION_COLUMNS, ...ESCALATION_OPTIONAL_COLUMNS]],
  ] as const) {
    const { rows } = await client.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
      `select column_name, is_nullable, column_default from information_schema.columns
       where table_schema = $1 and table_name = $2`,
      [table === 'complaint' ? 'complaints' : 'escalation', table],
    );
    const present = new Set(rows.map((row) => row.column_name));
    const missing = filled.filter((column) => !present.has(column) && !ESCALATION_OPTIONAL_COLUMNS.includes(column));
    if (missing.length > 0) throw new Error(`${table} has no column(s) ${missing.join(', ')}: update bench/generate.ts to the new schema`);
    const unfilled = rows.filter((row) => row.is_nullable === 'NO' && row.column_default === null && !(filled as readonly string[]).includes(row.column_name));
    if (unfilled.length > 0) {
      throw new Error(`${table} has new required column(s) ${unfilled.map((row) => row.column_name).join(', ')}: update bench/generate.ts`);
    }
  }
}

async function escalationCopyColumns(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = 'escalation' and table_name = 'escalation'`,
  );
  const present = new Set(rows.map((row) => row.column_name));
  // The optional columns come last in every generated row, in this order; keep the prefix that exists.
  const optional: string[] = [];
  for (const column of ESCALATION_OPTIONAL_COLUMNS) {
    if (!present.has(column)) break;
    optional.push(column);
  }
  return [...ESCALATION_COLUMNS, ...optional];
}

interface DroppedIndex {
  name: string;
  definition: string;
}

/** Drops the indexes that back no constraint (they are rebuilt from their own definitions after the load). */
async function dropSecondaryIndexes(client: Client, tables: string[]): Promise<DroppedIndex[]> {
  const { rows } = await client.query<{ schema: string; name: string; definition: string }>(
    `select n.nspname as schema, i.relname as name, pg_get_indexdef(i.oid) as definition
     from pg_index x
     join pg_class i on i.oid = x.indexrelid
     join pg_namespace n on n.oid = i.relnamespace
     where x.indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    [tables],
  );
  for (const row of rows) await client.query(`drop index "${row.schema}"."${row.name}"`);
  return rows.map((row) => ({ name: `${row.schema}.${row.name}`, definition: row.definition }));
}

async function recreateIndexes(client: Client, indexes: DroppedIndex[], log: (line: string) => void): Promise<void> {
  for (const [position, index] of indexes.entries()) {
    process.stderr.write(`\r  index ${position + 1}/${indexes.length} ${index.name.padEnd(60)}`);
    await client.query(index.definition);
  }
  if (indexes.length > 0) process.stderr.write('\n');
  else log('no secondary indexes to rebuild');
}

async function copyRows(client: Client, target: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const chunks = function* () {
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield rows.slice(i, i + CHUNK_ROWS).map(copyLine).join('');
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${target} from stdin`)));
}

/** Everything needed to draw complaints: the tree, weights, places, the calendar and "now". */
class World {
  readonly escalations: Row[] = [];
  readonly appliedEvents: Row[] = [];
  private readonly trackingIds = new Set<string>();
  private readonly reporterSecret = reporterTokenSecretFromEnv();
  private readonly national: Node;
  private readonly regencies: Weighted<Node>;
  private readonly provinces: Weighted<Node>;
  private readonly ministries: Node[];
  private readonly otherNationalBodies: Node[];
  private readonly categories: Weighted<string>;
  private readonly places: Map<string, Place[]>;
  private readonly regencyList: Node[];

  constructor(
    private readonly nodes: Map<string, Node>,
    private readonly calendar: FastCalendar,
    private readonly random: Random,
    private readonly now: number,
  ) {
    const all = [...nodes.values()];
    this.national = all.find((node) => node.kind === 'NATIONAL')!;
    // Regencies and cities by a Zipf-like weight over a seeded shuffle (a few busy cities, a long
    // tail of quiet regencies); cities a little busier. Provinces weigh what their regencies weigh.
    this.regencyList = all.filter((node) => node.kind === 'REGENCY' || node.kind === 'CITY').sort((a, b) => a.id.localeCompare(b.id));
    const order = this.regencyList.map((node) => ({ node, key: random.next() })).sort((a, b) => a.key - b.key);
    const weight = new Map(order.map(({ node }, rank) => [node.id, (node.kind === 'CITY' ? 1.3 : 1) / Math.pow(rank + 1, 0.8)]));
    this.regencies = new Weighted(order.map(({ node }) => node), order.map(({ node }) => weight.get(node.id)!));
    const provinceList = all.filter((node) => node.kind === 'PROVINCE').sort((a, b) => a.id.localeCompare(b.id));
    this.provinces = new Weighted(
      provinceList,
      provinceList.map((province) => 0.02 + province.children.reduce((sum, child) => sum + (weight.get(child.id) ?? 0), 0)),
    );
    this.ministries = all.filter((node) => node.kind === 'MINISTRY').sort((a, b) => a.id.localeCompare(b.id));
    this.otherNationalBodies = all
      .filter((node) => ['INSTITUTION', 'STATE_ENTERPRISE', 'UNIVERSITY', 'OVERSEAS_MISSION'].includes(node.kind))
      .sort((a, b) => a.id.localeCompare(b.id));
    this.categories = Weighted.of(CATEGORY_WEIGHTS);
    this.places = loadPlaces();
  }

  private nationalBodyFor(category: string): Node {
    const candidates = (CATEGORY_NATIONAL_BODY[category] ?? []).map((id) => this.nodes.get(id)).filter((node): node is Node => !!node);
    return candidates.length > 0 ? this.random.pick(candidates) : this.random.pick(this.ministries);
  }

  private placeText(regionCode: string | null, fallback: Node): string {
    const places = regionCode ? this.places.get(regionCode) : undefined;
    const region = regionCode ? this.nodes.get(`region-${regionCode}`) : undefined;
    if (!places || places.length === 0 || !region) return fallback.name.length < 60 ? fallback.name : 'wilayah kami';
    const place = this.random.pick(places);
    return `Desa ${place.village}, Kecamatan ${place.district}, ${region.name}`;
  }

  /** The node that handles a forwarded complaint inside `node`: itself, the unit for the category, or the Inspectorate. */
  private handlerIn(node: Node, category: string): { holder: Node; supervisory: boolean } {
    if (node.unitList.length === 0) return { holder: node, supervisory: false };
    if (category === 'SUPERVISION') {
      const inspectorate = node.units.get(INSPECTORATE_SLUG);
      if (inspectorate) return { holder: inspectorate, supervisory: true };
    }
    if (this.random.chance(0.35)) return { holder: node, supervisory: false };
    const unitName = CATEGORY_UNIT[category];
    const unit = unitName ? node.units.get(unitSlug(unitName)) : undefined;
    return { holder: unit ?? this.random.pick(node.unitList), supervisory: false };
  }

  /** Delay from submission to forwarding: mostly within the 3 working days, sometimes weeks. */
  private forwardDelay(): number {
    return this.random.chance(0.85) ? this.random.between(0.05, 3.5) * DAY : this.random.between(3.5, 25) * DAY;
  }

  /** Delay from reception to follow-up: 70% within the 5 working days. */
  private followUpDelay(): number {
    return this.random.chance(0.7) ? this.random.between(0.1, 6.5) * DAY : this.random.between(6.5, 35) * DAY;
  }

  private uniqueTrackingId(): string {
    for (;;) {
      const id = trackingId(this.random);
      if (!this.trackingIds.has(id)) {
        this.trackingIds.add(id);
        return id;
      }
    }
  }

  /** One complaint as a COPY line (and its escalation, if any, into `escalations`). */
  complaint(): string {
    const r = this.random;
    const now = this.now;
    const oldest = now - WINDOW_DAYS * DAY;
    const id = uuid(r);
    const category = this.categories.pick(r);
    const status = STATUS_SHARES.pick(r);

    // Addressee and region.
    let addressed: Node;
    let regionCode: string | null = null;
    switch (ADDRESSEES.pick(r)) {
      case 'REGENCY_OR_CITY':
        addressed = this.regencies.pick(r);
        regionCode = addressed.regionCode;
        break;
      case 'PROVINCE':
        addressed = this.provinces.pick(r);
        regionCode = r.chance(0.5) && addressed.children.length > 0 ? r.pick(addressed.children).regionCode : addressed.regionCode;
        break;
      case 'MINISTRY':
        addressed = this.nationalBodyFor(category);
        regionCode = r.chance(0.6) ? this.regencies.pick(r).regionCode : null;
        break;
      case 'NATIONAL':
        addressed = this.national;
        regionCode = r.chance(0.5) ? this.regencies.pick(r).regionCode : null;
        break;
      default:
        addressed = r.pick(this.otherNationalBodies);
        regionCode = r.chance(0.5) ? this.regencies.pick(r).regionCode : null;
    }
    const { title, body } = complaintText(r, category, this.placeText(regionCode && regionCode.length === 5 ? regionCode : null, addressed));

    // Who holds it once forwarded: the national admin forwards to a ministry or a regional
    // government; a regional government to itself, one of its units, or its Inspectorate.
    const forwarded = status === 'FORWARDED' || status === 'FOLLOWED_UP' || status === 'CLOSED_REPORTER' || status === 'CLOSED_SYSTEM';
    let holder = addressed;
    let supervisory = false;
    if (forwarded) {
      const receiving = addressed === this.national ? (r.chance(0.5) ? this.nationalBodyFor(category) : this.regencies.pick(r)) : addressed;
      ({ holder, supervisory } = this.handlerIn(receiving, category));
    }

    // The timeline, drawn backwards from the step the complaint waits in so that every status has
    // its realistic age (and share overdue), then the deadlines as the hub computes them.
    let submittedAt: number;
    let forwardedAt: number | null = null;
    let followedUpAt: number | null = null;
    let followUpDueAt: number | null = null;
    let closesAt: number | null = null;
    let closedAt: number | null = null;
    let closedBy: string | null = null;
    let rejectionReason: string | null = null;
    let disputes = 0;
    let lastDisputeAt: number | null = null;
    let updatedAt: number;
    let version = 1;
    const zone = holder.timeZone;
    const disputeCycle = (firstFollowUp: number): { dispute: number; followUp: number } => {
      const dispute = firstFollowUp + r.between(0.5, 8) * DAY;
      return { dispute, followUp: dispute + this.followUpDelay() };
    };
    switch (status) {
      case 'SUBMITTED':
      case 'VERIFIED': {
        // Two thirds arrived in the last days; the rest is a backlog nobody verified in time.
        submittedAt = r.chance(0.65) ? now - r.between(0, 5) * DAY : now - r.between(5, WINDOW_DAYS) * DAY;
        updatedAt = submittedAt;
        if (status === 'VERIFIED') {
          updatedAt = Math.min(now, submittedAt + r.between(0.05, 3) * DAY);
          version = 2;
        }
        break;
      }
      case 'REJECTED': {
        submittedAt = now - r.between(1, WINDOW_DAYS) * DAY;
        updatedAt = Math.min(now, submittedAt + r.between(0.05, 6) * DAY);
        rejectionReason = r.pick(REJECTION_REASONS);
        version = r.chance(0.3) ? 3 : 2;
        break;
      }
      case 'FORWARDED': {
        // 58% received in the last week (mostly within the deadline); the rest a backlog.
        forwardedAt = r.chance(0.58) ? now - r.between(0, 7) * DAY : now - (7 + (WINDOW_DAYS - 40) * r.next() ** 2) * DAY;
        submittedAt = Math.max(oldest, forwardedAt - this.forwardDelay());
        followUpDueAt = this.calendar.endOfNthWorkingDayAfter(forwardedAt, 5, zone);
        updatedAt = forwardedAt;
        version = 3;
        if (r.chance(0.06)) {
          // Followed up, then sent back by an unsatisfied reporter: a fresh 5 days from the reply.
          const first = forwardedAt + r.between(0.1, 5) * DAY;
          const dispute = first + r.between(0.5, 8) * DAY;
          if (dispute < now) {
            followedUpAt = first;
            lastDisputeAt = dispute;
            followUpDueAt = this.calendar.endOfNthWorkingDayAfter(dispute, 5, zone);
            disputes = 1;
            version += 2;
            updatedAt = dispute;
          }
        }
        break;
      }
      case 'FOLLOWED_UP': {
        // Still open, so followed up less than 10 working days ago (else the sweep closed it).
        followedUpAt = now - r.between(0, 13) * DAY;
        if (this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone) <= now) followedUpAt = now - r.between(0, 3) * DAY;
        if (r.chance(0.08)) {
          const dispute = followedUpAt - r.between(0.5, 8) * DAY;
          const first = dispute - r.between(0.5, 8) * DAY;
          forwardedAt = first - this.followUpDelay();
          lastDisputeAt = dispute;
          disputes = 1;
        } else {
          forwardedAt = followedUpAt - this.followUpDelay();
        }
        submittedAt = Math.max(oldest, forwardedAt - this.forwardDelay());
        if (submittedAt >= forwardedAt) forwardedAt = submittedAt + HOUR;
        followUpDueAt = this.calendar.endOfNthWorkingDayAfter(lastDisputeAt ?? forwardedAt, 5, zone);
        closesAt = this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone);
        updatedAt = followedUpAt;
        version = 4 + disputes * 2;
        break;
      }
      default: {
        // CLOSED: by the reporter (satisfied) or by the sweep 10 working days after the follow-up.
        for (;;) {
          submittedAt = now - r.between(14, WINDOW_DAYS) * DAY;
          forwardedAt = submittedAt + this.forwardDelay();
          followedUpAt = forwardedAt + this.followUpDelay();
          lastDisputeAt = null;
          disputes = 0;
          if (r.chance(0.09)) {
            const cycle = disputeCycle(followedUpAt);
            lastDisputeAt = cycle.dispute;
            followedUpAt = cycle.followUp;
            disputes = r.chance(0.2) ? 2 : 1;
          }
          closesAt = this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone);
          if (status === 'CLOSED_REPORTER') {
            closedAt = followedUpAt + Math.min(closesAt - followedUpAt - HOUR, r.between(0.05, 9) * DAY);
            closedBy = 'REPORTER';
          } else {
            closedAt = closesAt + r.between(1, 60) * 1000;
            closedBy = 'SYSTEM';
          }
          if (closedAt < now) break;
        }
        followUpDueAt = this.calendar.endOfNthWorkingDayAfter(lastDisputeAt ?? forwardedAt, 5, zone);
        updatedAt = closedAt;
        version = 5 + disputes * 2;
      }
    }

    const verifyDueAt = this.calendar.endOfNthWorkingDayAfter(submittedAt, 3, addressed.timeZone);
    const dbStatus = status === 'CLOSED_REPORTER' || status === 'CLOSED_SYSTEM' ? 'CLOSED' : status;
    const currentDueAt = dbStatus === 'SUBMITTED' || dbStatus === 'VERIFIED' ? verifyDueAt : dbStatus === 'FORWARDED' ? followUpDueAt : null;
    const followUpWorkingDays = followedUpAt !== null && forwardedAt !== null ? this.calendar.workingDaysBetween(forwardedAt, followedUpAt, zone) : null;

    if (forwardedAt !== null && r.chance(0.03)) {
      if (this.escalate(id, holder, supervisory, dbStatus, forwardedAt, followUpDueAt!, followedUpAt, closedAt)) version += 1;
    }

    return copyLine([
      id,
      this.uniqueTrackingId(),
      TYPES.pick(r),
      title,
      body,
      dbStatus,
      CHANNELS.pick(r),
      r.chance(0.05),
      r.chance(0.08),
      regionCode,
      category,
      addressed.id,
      forwarded ? holder.id : null,
      hashReporterToken(reporterTokenFor(id, this.reporterSecret)),
      null,
      null,
      iso(submittedAt),
      iso(updatedAt),
      version,
      iso(verifyDueAt),
      iso(followUpDueAt),
      iso(closesAt),
      iso(currentDueAt),
      rejectionReason,
      closedBy,
      disputes,
      supervisory,
      iso(forwardedAt),
      iso(followedUpAt),
      followUpWorkingDays,
      iso(closedAt),
      holder.homeId,
      holder.homeKind,
      holder.pathLiteral,
    ]);
  }

  /** Where the sweep sends a breach: regency/city (or its unit) to the province, anything else to the national node. */
  private slaTarget(holder: Node): Node | null {
    const home = holder.kind === 'UNIT' ? holder.parent! : holder;
    if (!home.parent) return null;
    return home.parent.parent ? home.parent : this.national;
  }

  private otherNode(except: Node): Node {
    for (;;) {
      const node = this.random.chance(0.7) ? this.regencies.pick(this.random) : this.random.pick(this.ministries);
      if (node.id !== except.homeId) return node;
    }
  }

  /**
   * An escalation of a forwarded complaint that fits what happened to it: an accepted one that
   * moved it names the current holder as target (it received the complaint when it accepted);
   * an open, declined or coordination one leaves it with the holder. Returns whether it moved it.
   */
  private escalate(
    complaintId: string,
    holder: Node,
    supervisory: boolean,
    status: string,
    receivedAt: number,
    followUpDueAt: number,
    followedUpAt: number | null,
    closedAt: number | null,
  ): boolean {
    const r = this.random;
    const active = status === 'FORWARDED';
    let escalationStatus = active ? (r.chance(0.35) ? 'OPEN' : r.chance(0.7) ? 'ACCEPTED' : 'DECLINED') : r.chance(0.7) ? 'ACCEPTED' : 'DECLINED';
    let reason: string = ESCALATION_REASONS.pick(r);
    if (supervisory) {
      reason = 'SUPERVISORY';
      escalationStatus = 'ACCEPTED';
    }
    const home = holder.kind === 'UNIT' ? holder.parent! : holder;
    let from = holder;
    let to: Node | null = null;
    let createdAt: number;
    let respondedAt: number | null = null;
    let breachedDueAt: number | null = null;
    let moved = false;

    if (escalationStatus === 'ACCEPTED' && reason !== 'NEEDS_COORDINATION') {
      // The holder accepted it from a previous holder: received it at `receivedAt`.
      to = holder;
      if (reason === 'SUPERVISORY') {
        if (!supervisory || holder.kind !== 'UNIT') reason = 'WRONG_AGENCY';
        else from = holder.parent!;
      }
      if (reason === 'SLA_BREACH' || reason === 'HIGHER_AUTHORITY') {
        if (home.kind === 'PROVINCE' && home.children.length > 0) from = r.pick(home.children);
        else if (home.kind === 'NATIONAL') from = r.pick(this.ministries);
        else reason = 'WRONG_AGENCY';
      }
      if (reason === 'WRONG_AGENCY' || reason === 'REPORTER_DISPUTE') from = this.otherNode(holder);
      createdAt = receivedAt - r.between(0.05, 2.5) * DAY;
      if (reason === 'SLA_BREACH') breachedDueAt = createdAt - r.between(1, 60) * 1000;
      respondedAt = receivedAt;
      moved = true;
    } else {
      // It stays with the holder (open, declined, or a coordination request).
      const end = Math.min(this.now, followedUpAt ?? closedAt ?? this.now);
      if (reason === 'SLA_BREACH') {
        to = this.slaTarget(holder);
        if (to && followUpDueAt < end - 2 * HOUR) {
          breachedDueAt = followUpDueAt;
        } else {
          to = null;
        }
      } else if (reason === 'HIGHER_AUTHORITY') {
        to = home.parent;
      } else if (reason === 'SUPERVISORY') {
        to = home.units.get(INSPECTORATE_SLUG) ?? null;
        if (escalationStatus === 'ACCEPTED') to = null;
      } else {
        to = this.otherNode(holder);
      }
      if (!to || to.id === holder.id || to.id === home.id) {
        reason = 'NEEDS_COORDINATION';
        to = this.otherNode(holder);
      }
      createdAt = breachedDueAt !== null ? breachedDueAt + r.between(1, 60) * 1000 : receivedAt + r.next() * Math.max(HOUR, end - receivedAt);
      if (escalationStatus !== 'OPEN') respondedAt = Math.min(this.now, createdAt + r.between(0.05, 3) * DAY);
    }
    const escalationId = uuid(r);
    const sweep = reason === 'SLA_BREACH';
    const target = to!;
    const responderRole = reason === 'SUPERVISORY' ? 'INSPECTOR' : r.chance(0.5) ? 'AGENCY_ADMIN' : 'LIAISON_OFFICER';
    this.escalations.push([
      escalationId,
      complaintId,
      from.id,
      target.id,
      reason,
      escalationStatus,
      sweep ? `Follow-up deadline ${new Date(breachedDueAt!).toISOString()} passed without a follow-up` : 'Mohon ditindaklanjuti sesuai kewenangan.',
      respondedAt === null ? null : escalationStatus === 'ACCEPTED' ? 'Diterima, akan ditindaklanjuti.' : 'Bukan kewenangan kami.',
      sweep ? null : `officer-${r.int(100_000)}`,
      sweep ? null : r.chance(0.6) ? 'LIAISON_OFFICER' : 'AGENCY_ADMIN',
      iso(createdAt),
      iso(this.calendar.endOfNthWorkingDayAfter(createdAt, 3, target.timeZone)),
      iso(respondedAt),
      respondedAt === null ? null : `officer-${r.int(100_000)}`,
      respondedAt === null ? null : responderRole,
      iso(breachedDueAt),
      moved ? 'APPLIED' : null,
      respondedAt === null ? 1 : 2,
      target.homeId,
      target.pathLiteral,
      // As the service records it: escalated from a supervisory complaint, or to the Inspectorate.
      supervisory || reason === 'SUPERVISORY',
    ]);
    if (moved) this.appliedEvents.push([uuid(r), escalationId, complaintId, 'APPLIED', iso(respondedAt! + 1000)]);
    return moved;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    complaints: 'number',
    'database-url': 'string',
    fresh: 'boolean',
    seed: 'number',
  });
  await generate({
    complaints: args.complaints ?? 10_000,
    databaseUrl: args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    fresh: args.fresh ?? false,
    seed: args.seed ?? 1,
  });
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
