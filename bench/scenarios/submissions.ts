import { BENCH_SUBMISSION_PREFIX, log, round, withClient } from '../common';
import type { LoadFigures, LoadSpec } from '../load';
import { SUBMIT_MUTATION } from '../queries';
import type { ScenarioContext } from './context';
import { BENCH_SUBSCRIPTION_DESCRIPTION } from './webhook-lag';

/**
 * Citizen submissions (no token), each with a unique idempotency key of the run's prefix; then the
 * rows with the prefix are counted: every acknowledged key must be a row (`lost` = 0). Run last:
 * it adds rows, which `removeSubmissions` deletes once the hub is stopped.
 */

export interface SubmissionFigures extends LoadFigures {
  acknowledged: number;
  rows: number;
  lost: number;
  /** Rows whose response never arrived (requests cut off at the end of the run). */
  unacknowledgedRows: number;
  acknowledgedPerSecond: number;
}

/** The idempotency-key prefix of one run's submissions. */
export const submissionPrefix = (runStarted: Date) => `${BENCH_SUBMISSION_PREFIX}${(runStarted.getTime() % 0x10000).toString(16).padStart(4, '0')}-`;

export async function submissions({ options, facts, hub, runs }: ScenarioContext, prefix: string): Promise<SubmissionFigures> {
  const acknowledged = new Set<string>();
  let sequence = 0;
  const submitBody = (key: string) =>
    JSON.stringify({
      query: SUBMIT_MUTATION,
      variables: {
        input: {
          type: 'COMPLAINT',
          channel: sequence % 3 === 0 ? 'SMS' : 'MOBILE',
          regionCode: facts.regionCodes[sequence % facts.regionCodes.length],
          categoryId: 'INFRASTRUCTURE',
          title: `Jalan rusak ${sequence}`,
          body: 'Jalan penghubung antardesa rusak dan berlubang sejak musim hujan; mohon segera diperbaiki.',
          reporter: { name: 'Warga Uji Beban', phone: '+628123456789' },
          idempotencyKey: key,
        },
      },
    });
  log(`submissions: ${options.connections} connections, ${options.duration} s`);
  const spec: LoadSpec = {
    url: hub.gateway.url,
    connections: options.connections,
    seconds: options.duration,
    setupBody: (context) => {
      const key = `${prefix}4000-8000-${(++sequence).toString(16).padStart(12, '0')}`;
      context.key = key;
      return submitBody(key);
    },
    check: (body, context) => {
      const ok = body.includes('"trackingId"') && !body.includes('"errors"');
      if (ok) acknowledged.add(context.key as string);
      return ok;
    },
  };
  // Requests cut off when the run stopped may still commit: the count waits until the database is idle.
  const figures = await runs.measure('submissions', spec);
  const stored = await withClient(options.databaseUrl, async (client) => {
    const { rows } = await client.query(`select idempotency_key from complaints.complaint where idempotency_key like $1`, [`${prefix}%`]);
    return new Set(rows.map((row: { idempotency_key: string }) => row.idempotency_key));
  });
  const lost = [...acknowledged].filter((key) => !stored.has(key));
  return {
    ...figures,
    acknowledged: acknowledged.size,
    rows: stored.size,
    lost: lost.length,
    unacknowledgedRows: [...stored].filter((key) => !acknowledged.has(key)).length,
    acknowledgedPerSecond: round(acknowledged.size / options.duration, 1),
  };
}

/**
 * Deletes the complaints the run submitted (their timeline, contact, messages and subscriptions of the reporter, hub
 * events in both services' tables), and the
 * delivery-lag subscriptions with their deliveries, so that the next run measures the same data.
 * The timeline is append-only by a trigger; this bench-only database skips triggers for the
 * cleanup of the timeline and contacts (session_replication_role = replica), but not for the
 * complaints: their triggers keep the dashboard's tallies.
 */
export async function removeSubmissions(url: string, prefix: string): Promise<number> {
  return withClient(url, async (client) => {
    await client.query('begin');
    await client.query(`delete from webhooks.subscription where description = $1`, [BENCH_SUBSCRIPTION_DESCRIPTION]);
    const ids = `select id from complaints.complaint where idempotency_key like $1`;
    const pattern = `${prefix.replace(/[%_\\]/g, '\\$&')}%`;
    await client.query(`delete from webhooks.hub_event where complaint_id in (${ids})`, [pattern]);
    await client.query('set local session_replication_role = replica');
    await client.query(`delete from complaints.timeline_entry where complaint_id in (${ids})`, [pattern]);
    await client.query(`delete from complaints.reporter_contact where complaint_id in (${ids})`, [pattern]);
    await client.query(`delete from complaints.reporter_message where complaint_id in (${ids})`, [pattern]);
    await client.query(`delete from complaints.reporter_subscription where complaint_id in (${ids})`, [pattern]);
    await client.query(`delete from complaints.hub_event_outbox where complaint_id in (${ids})`, [pattern]);
    await client.query('set local session_replication_role = origin');
    const deleted = await client.query(`delete from complaints.complaint where idempotency_key like $1`, [pattern]);
    await client.query('commit');
    return deleted.rowCount ?? 0;
  });
}
