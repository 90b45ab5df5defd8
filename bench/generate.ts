import './env';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { assertBenchDatabase, databaseName, DATASET_VERSION, DEFAULT_DATABASE_URL, formatInt, lockBenchDatabase, META_TABLE, parseArgs, withClient, type DatasetMeta } from './common';
import { copyComplaints, copyEscalations } from './generator/copy';
import { insertFollowUps, insertSubmitEntries, sealContacts } from './generator/derived';
import { insertUnits, loadDirectory } from './generator/directory';
import {
  checkColumns,
  clusterBySubmission,
  dropSecondaryIndexes,
  escalationCopyColumns,
  prepareDatabase,
  prepareTables,
  recreateIndexes,
  vacuumAnalyze,
} from './generator/schema';
import { WINDOW_DAYS, World } from './generator/world';
import { FastCalendar, MS_PER_DAY, Random } from './nation';

/**
 * `npm run bench:generate -- --complaints 1000000 [--database-url …] [--fresh] [--seed 1]`
 *
 * Fills a PostgreSQL database with a nation: the hub's own directory (made by the services'
 * migrations and seeder), ~30 work units per province, regency and city, and N complaints of the
 * last two years in every status, with deadlines from the hub's working-day calendar, holders and
 * dashboard columns filled as the services fill them, plus a SUBMIT timeline entry, the follow-up
 * text and the reporter's contact where the workflow has them, and escalations of ~3% of the
 * forwarded complaints. Deterministic for a given seed (except `asOf`, the generation instant).
 *
 * The parts: `generator/schema.ts` (database, schemas, indexes), `generator/directory.ts` (the
 * agencies tree and its units), `generator/world.ts` (the complaints' life stories),
 * `generator/copy.ts` (COPY writers), `generator/derived.ts` (rows made from the complaints).
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

const DAY = MS_PER_DAY;

export async function generate(options: GenerateOptions): Promise<DatasetMeta> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  const seed = options.seed ?? 1;
  const url = options.databaseUrl;
  assertBenchDatabase(url);
  if (!Number.isSafeInteger(options.complaints) || options.complaints < 0) throw new Error('--complaints must be a whole number');
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; seconds: string }> => {
    const step = Date.now();
    const value = await work();
    return { value, seconds: ((Date.now() - step) / 1000).toFixed(1) };
  };

  // (a) The database, and its schemas as the services make them.
  await prepareDatabase(url, options.fresh ?? false, log);
  return withClient(url, async (client) => {
    await prepareTables(client, log);

    // (b) Work units of every regional government.
    const units = await insertUnits(client);
    log(`${formatInt(units)} work units in the directory`);

    const directory = await loadDirectory(client);
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
    const world = new World(directory, calendar, random, asOf);
    const escalationColumns = await escalationCopyColumns(client);
    await copyComplaints(client, world, options.complaints);
    log(`${formatInt(world.escalations.length)} escalations, ${formatInt(world.appliedEvents.length)} applied reassignments`);
    await copyEscalations(client, world, escalationColumns);

    const layout = await timed(() => clusterBySubmission(client));
    log(`table laid out in submission order (${layout.seconds} s)`);

    // (d) Rows derived from the complaints. The data is consistent by construction, so the
    // foreign-key triggers stay skipped for the bulk insert.
    const timeline = await timed(() => insertSubmitEntries(client));
    log(`${formatInt(timeline.value)} SUBMIT timeline entries (${timeline.seconds} s)`);
    const followUps = await timed(() => insertFollowUps(client));
    log(`${formatInt(followUps.value)} follow-ups (${followUps.seconds} s)`);
    const contacts = await timed(() => sealContacts(client));
    log(`${formatInt(contacts.value)} reporter contacts, sealed (${contacts.seconds} s)`);
    await client.query(`set session_replication_role = origin`);
    const tallies = await timed(() => client.query(`select complaints.rebuild_complaint_tallies()`));
    log(`dashboard tallies filled (${tallies.seconds} s)`);
    const words = await timed(() => client.query(`select complaints.rebuild_search_words()`));
    log(`search words listed (${words.seconds} s)`);

    const indexes = await timed(() => recreateIndexes(client, dropped, log));
    log(`indexes rebuilt (${indexes.seconds} s)`);
    const vacuum = await timed(() => vacuumAnalyze(client));
    log(`VACUUM ANALYZE (${vacuum.seconds} s)`);

    const meta: DatasetMeta = {
      version: DATASET_VERSION,
      complaints: options.complaints,
      seed,
      asOf: new Date(asOf).toISOString(),
      generatedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      units,
      escalations: world.escalations.length,
      timelineEntries: timeline.value,
    };
    await client.query(`insert into ${META_TABLE} (key, value) values ('dataset', $1)`, [JSON.stringify(meta)]);
    const size = await client.query(`select pg_size_pretty(pg_database_size(current_database())) as size`);
    log(`done: ${formatInt(options.complaints)} complaints in ${meta.seconds} s; database ${databaseName(url)} is ${size.rows[0].size}`);
    return meta;
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    complaints: 'number',
    'database-url': 'string',
    fresh: 'boolean',
    seed: 'number',
  });
  const databaseUrl = args['database-url'] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const unlock = await lockBenchDatabase(databaseUrl);
  await generate({ complaints: args.complaints ?? 10_000, databaseUrl, fresh: args.fresh ?? false, seed: args.seed ?? 1 });
  await unlock();
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
