import { GATEWAY_CREDENTIAL_HEADER, signUserToken, type AuthSecrets, type GatewayViewer } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { log } from '../common';
import { assertNoErrors, checkData, postJson, type LoadFigures, type LoadSpec } from '../load';
import { OneTimeCredentials } from '../one-time-credentials';
import { memoryOf, spawnGateway, stopChild, type Memory } from '../processes';
import { DIRECT_INBOX_QUERY, INBOX_QUERY } from '../queries';
import type { ScenarioContext } from './context';

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
export async function checkInbox({ hub, inbox }: ScenarioContext): Promise<number> {
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
  await runs.warm(spec);
  const single = await runs.single('inbox, gateway, 1 connection', spec);
  const loaded = await runs.measure('inbox, gateway', spec);
  return { single, loaded };
}

/** Our gateway sending every identical query fetch itself (as Hive with deduplication off). */
export async function inboxWithoutDeduplication(context: ScenarioContext): Promise<{ loaded: LoadFigures; memory: Memory }> {
  const { options, hub, runs } = context;
  log('starting a second gateway with in-flight deduplication off');
  const gateway = await spawnGateway(hub, { GATEWAY_DEDUPLICATE_INFLIGHT: 'false' });
  const spec = inboxSpec(context, gateway.url);
  log(`inbox through our gateway, deduplication off: ${options.connections} connections, ${options.duration} s`);
  await runs.warm(spec);
  const loaded = await runs.measure('inbox, gateway, deduplication off', spec);
  const memory = memoryOf(gateway.process.pid!);
  await stopChild(gateway);
  return { loaded, memory };
}

/**
 * The complaints part of the inbox straight at the complaints subgraph, each request with its own
 * one-time gateway credential, signed ahead so that signing is not charged to the subgraph.
 */
export async function inboxDirect({ options, secrets, facts, hub, runs }: ScenarioContext): Promise<{ single: LoadFigures; loaded: LoadFigures }> {
  const signCredential = gatewayCredentialSigner(secrets.gatewayKeys);
  const viewer: GatewayViewer = { kind: 'officer', sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId: facts.busyRegencyId };
  const body = JSON.stringify({ query: DIRECT_INBOX_QUERY, variables: { representations: [{ __typename: 'Agency', id: facts.busyRegencyId }] } });
  const credentials = await OneTimeCredentials.start(() => signCredential('complaints', viewer, body));
  const direct = await postJson(hub.complaints.url, JSON.parse(body), { [GATEWAY_CREDENTIAL_HEADER]: credentials.take() });
  assertNoErrors('inbox straight at the complaints subgraph', direct);
  const spec: LoadSpec = {
    url: hub.complaints.url,
    connections: options.connections,
    seconds: options.duration,
    body,
    requestHeaders: () => ({ [GATEWAY_CREDENTIAL_HEADER]: credentials.take() }),
    check: checkData,
  };
  log(`inbox straight at the complaints subgraph: ${options.connections} connections, ${options.duration} s`);
  await runs.warm(spec);
  const single = await runs.single('inbox, complaints subgraph, 1 connection', spec);
  const loaded = await runs.measure('inbox, complaints subgraph', spec);
  return { single, loaded };
}
