import { BENCH_SUBMISSION_PREFIX, DATASET_VERSION, formatInt, log, readMeta, withClient, type DatasetMeta } from './common';
import { generate } from './generate';
import { removeSubmissions } from './scenarios/submissions';

/** The run's data set: generated unless the database holds a finished one of the asked size, and the facts the scenarios need. */

export async function ensureDataset(options: { complaints: number; databaseUrl: string; seed: number }): Promise<{ meta: DatasetMeta; generatedNow: boolean }> {
  const meta = await readMeta(options.databaseUrl);
  if (meta && meta.complaints === options.complaints && meta.version === DATASET_VERSION) {
    // A run that died before cleaning up leaves its submissions: remove them, then count.
    await removeSubmissions(options.databaseUrl, BENCH_SUBMISSION_PREFIX);
    const count = await withClient(options.databaseUrl, async (client) => (await client.query('select count(*)::int as count from complaints.complaint')).rows[0].count);
    if (count === options.complaints) return { meta, generatedNow: false };
    log(`the database holds ${formatInt(count)} complaints, not ${formatInt(options.complaints)}: generating afresh`);
  } else {
    log(
      !meta
        ? 'no finished data set in the database: generating one'
        : meta.version !== DATASET_VERSION
          ? 'the data set was made by an older generator: generating afresh'
          : `the database holds a data set of ${formatInt(meta.complaints)} complaints: generating ${formatInt(options.complaints)} afresh`,
    );
  }
  const generated = await generate({ complaints: options.complaints, databaseUrl: options.databaseUrl, fresh: true, seed: options.seed, log });
  return { meta: generated, generatedNow: true };
}

export interface Facts {
  busyRegencyId: string;
  busyRegencyName: string;
  busyRegencyAssigned: number;
  regionCodes: string[];
  tableSizes: Record<string, string>;
}

/** The regency holding most complaints (its inbox is measured), every region code (for submissions), table sizes. */
export async function readFacts(url: string): Promise<Facts> {
  return withClient(url, async (client) => {
    const busy = await client.query(
      `select c.assigned_agency_id as id, a.name, count(*)::int as count
       from complaints.complaint c join agencies.agency a on a.id = c.assigned_agency_id
       where a.kind in ('REGENCY', 'CITY') group by 1, 2 order by 3 desc, 1 limit 1`,
    );
    if (busy.rowCount === 0) throw new Error('no regency holds a complaint: generate a larger data set');
    const regions = await client.query(`select region_code from agencies.agency where kind in ('REGENCY', 'CITY') order by 1`);
    const sizes = await client.query(
      `select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where (n.nspname, c.relname) in (('complaints', 'complaint'), ('complaints', 'timeline_entry'), ('escalation', 'escalation'), ('agencies', 'agency'))`,
    );
    const database = await client.query(`select pg_size_pretty(pg_database_size(current_database())) as size`);
    return {
      busyRegencyId: busy.rows[0].id,
      busyRegencyName: busy.rows[0].name,
      busyRegencyAssigned: busy.rows[0].count,
      regionCodes: regions.rows.map((row: { region_code: string }) => row.region_code),
      tableSizes: { database: database.rows[0].size, ...Object.fromEntries(sizes.rows.map((row: { name: string; size: string }) => [row.name, row.size])) },
    };
  });
}
