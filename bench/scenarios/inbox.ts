import { signUserToken, type AuthSecrets } from '@lapor-hub/lib';
import { log } from '../common';
import { assertNoErrors, checkData, postJson, type LoadFigures, type LoadSpec } from '../load';
import { memoryOf, spawnGateway, stopChild, type Memory } from '../processes';
import { INBOX_QUERY } from '../queries';
import type { ScenarioContext } from './context';
import { directFetchSpec, type PlanFetch } from './plan-fetches';

/**
 * The agency inbox (a page of 50 of the busiest regency, as its admin): through our gateway, one at
 * a time and under load; through a second gateway with in-flight deduplication off (every client's
 * request goes to the subgraphs itself); and its complaints part straight at the complaints subgraph.
 */

export async function inboxRequest(agencyId: string, secrets: AuthSecrets): Promise<ScenarioContext['inbox']> {
  const adminToken = await signUserToken({ sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId }, secrets.jwtSecret);
  return { body: JSON.stringify({ query: INBOX_QUERY, variables: { id: agencyId } }), headers: { authorization: `Bearer ${adminToken}` } };
}

/** One inbox through the gateway, checked: a full page (or all there are). Returns the inbox's total count. */
export async function checkInbox({ hub, inbox }: Pick<ScenarioContext, 'hub' | 'inbox'>): Promise<number> {
  const ours = await postJson(hub.gateway.url, JSON.parse(inbox.body), inbox.headers);
  assertNoErrors('inbox through the gateway', ours);
  const expectedEdges = Math.min(50, ours.data.agency.assignedComplaints.totalCount);
  if (ours.data.agency.assignedComplaints.edges.length !== expectedEdges) throw new Error('the inbox page is not full');
  return ours.data.agency.assignedComplaints.totalCount;
}

export const inboxSpec = ({ options, hub, inbox }: ScenarioContext, url = hub.gateway.url): LoadSpec => ({
  url,
  connections: options.connections,
  seconds: options.duration,
  body: inbox.body,
  headers: inbox.headers,
  check: checkData,
});

export async function inboxThroughGateway(context: ScenarioContext): Promise<{ single: LoadFigures; loaded: LoadFigures }> {
  const { options, runs } = context;
  const spec = inboxSpec(context);
  log(`inbox through the gateway: ${options.connections} connections, ${options.duration} s`);
  await runs.warm('inbox, gateway', spec);
  const single = await runs.single('inbox, gateway, 1 connection', spec);
  const loaded = await runs.measure('inbox, gateway', spec);
  return { single, loaded };
}

/** Our gateway sending every identical query fetch itself (as Hive with deduplication off). */
export async function inboxWithoutDeduplication(context: ScenarioContext): Promise<{ loaded: LoadFigures; memory: Memory }> {
  const { options, hub, runs } = context;
  log('starting a second gateway with in-flight deduplication off');
  const gateway = await spawnGateway(hub, { GATEWAY_DEDUPLICATE_INFLIGHT: 'false' }, 'gateway (deduplication off)');
  const spec = inboxSpec(context, gateway.url);
  log(`inbox through our gateway, deduplication off: ${options.connections} connections, ${options.duration} s`);
  await runs.warm('inbox, gateway, deduplication off', spec);
  const loaded = await runs.measure('inbox, gateway, deduplication off', spec);
  const memory = memoryOf(gateway.process.pid!);
  await stopChild(gateway);
  return { loaded, memory };
}

/**
 * The complaints part of the inbox (the plan's complaints fetch, as the gateway sent it) straight at
 * the complaints subgraph, each request with its own one-time gateway credential, signed ahead so
 * that signing is not charged to the subgraph.
 */
export async function inboxDirect(context: ScenarioContext, complaintsFetch: PlanFetch): Promise<{ single: LoadFigures; loaded: LoadFigures }> {
  const { options, runs } = context;
  const spec = await directFetchSpec(context, complaintsFetch);
  log(`inbox straight at the complaints subgraph: ${options.connections} connections, ${options.duration} s`);
  await runs.warm('inbox, complaints subgraph', spec);
  const single = await runs.single('inbox, complaints subgraph, 1 connection', spec);
  const loaded = await runs.measure('inbox, complaints subgraph', spec);
  return { single, loaded };
}
