import type { Client } from 'pg';
import { databaseExists, databaseName, maintenanceUrl, META_TABLE, withClient } from '../common';
import { startInProcessHub } from '../serve';
import { COMPLAINT_COLUMNS, ESCALATION_COLUMNS, ESCALATION_OPTIONAL_COLUMNS } from './copy';

/** Schema preparation: the database and its schemas as the services make them, checked against what the generator fills; indexes around the load. */

/** Creates the database (dropped first when `fresh`), then starts the services once on port 0 (migrations, directory seeder) and stops them. */
export async function prepareDatabase(url: string, fresh: boolean, log: (line: string) => void): Promise<void> {
  const name = databaseName(url);
  const exists = await databaseExists(url);
  if (exists && fresh) {
    log(`dropping database ${name}`);
    await withClient(maintenanceUrl(url), (client) => client.query(`drop database ${name} with (force)`));
  }
  if (!exists || fresh) {
    log(`creating database ${name}`);
    await withClient(maintenanceUrl(url), (client) => client.query(`create database ${name}`));
  }
  log('starting the services once to run the migrations and seed the directory');
  const hub = await startInProcessHub({ databaseUrl: url, poolMax: 2 });
  await hub.stop();
}

/** The session's settings for a bulk load, no finished mark (until the end), and empty complaint and escalation tables. */
export async function prepareTables(client: Client, log: (line: string) => void): Promise<void> {
  await client.query(`create table if not exists ${META_TABLE} (key text primary key, value jsonb not null)`);
  await client.query(`delete from ${META_TABLE}`);
  await client.query('set synchronous_commit = off');
  await client.query(`set maintenance_work_mem = '512MB'`);
  const emptied = await client.query('select exists (select 1 from complaints.complaint) as any');
  if (emptied.rows[0].any) {
    log('emptying the complaint and escalation tables');
    await client.query(`truncate complaints.complaint, complaints.reporter_contact, complaints.timeline_entry, complaints.follow_up,
      complaints.applied_event, complaints.search_word, escalation.escalation, escalation.outbox_event cascade`);
  }
}

/** The schema is others' to change: fail clearly if a column this generator fills is gone or a new one needs a value. */
export async function checkColumns(client: Client): Promise<void> {
  for (const [table, filled] of [
    ['complaint', COMPLAINT_COLUMNS],
    ['escalation', ESCALATION_COLUMNS],
  ] as const) {
    const { rows } = await client.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
      `select column_name, is_nullable, column_default from information_schema.columns
       where table_schema = $1 and table_name = $2`,
      [table === 'complaint' ? 'complaints' : 'escalation', table],
    );
    const present = new Set(rows.map((row) => row.column_name));
    const missing = filled.filter((column) => !present.has(column) && !ESCALATION_OPTIONAL_COLUMNS.includes(column));
    if (missing.length > 0) throw new Error(`${table} has no column(s) ${missing.join(', ')}: update bench/generator/copy.ts to the new schema`);
    const unfilled = rows.filter((row) => row.is_nullable === 'NO' && row.column_default === null && !filled.includes(row.column_name));
    if (unfilled.length > 0) {
      throw new Error(`${table} has new required column(s) ${unfilled.map((row) => row.column_name).join(', ')}: update bench/generator/copy.ts`);
    }
  }
}

/** The escalation columns to fill: the required ones and the prefix of the optional ones the table has. */
export async function escalationCopyColumns(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = 'escalation' and table_name = 'escalation'`,
  );
  const present = new Set(rows.map((row) => row.column_name));
  const optional: string[] = [];
  for (const column of ESCALATION_OPTIONAL_COLUMNS) {
    if (!present.has(column)) break;
    optional.push(column);
  }
  return [...ESCALATION_COLUMNS.filter((column) => !ESCALATION_OPTIONAL_COLUMNS.includes(column)), ...optional];
}

export interface DroppedIndex {
  name: string;
  definition: string;
}

/** Drops the indexes that back no constraint (they are rebuilt from their own definitions after the load). */
export async function dropSecondaryIndexes(client: Client, tables: string[]): Promise<DroppedIndex[]> {
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

export async function recreateIndexes(client: Client, indexes: DroppedIndex[], log: (line: string) => void): Promise<void> {
  for (const [position, index] of indexes.entries()) {
    process.stderr.write(`\r  index ${position + 1}/${indexes.length} ${index.name.padEnd(60)}`);
    await client.query(index.definition);
  }
  if (indexes.length > 0) process.stderr.write('\n');
  else log('no secondary indexes to rebuild');
}

/**
 * A real table grows in submission order; the generator drew statuses first, so the rows arrived
 * in random time order. Rewrite the table in submission order, as years of inserts would have laid
 * it out (it matters for range scans and the planner's correlation figures).
 */
export async function clusterBySubmission(client: Client): Promise<void> {
  await client.query(`create index bench_cluster_submitted on complaints.complaint (submitted_at, id)`);
  await client.query(`cluster complaints.complaint using bench_cluster_submitted`);
  await client.query(`drop index complaints.bench_cluster_submitted`);
}

/** So that index-only scans and the planner see the real data. */
export async function vacuumAnalyze(client: Client): Promise<void> {
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
}
