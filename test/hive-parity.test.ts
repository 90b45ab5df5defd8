import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';
import { BIMA_PUPR_AGENCY_ID, BIMA_PUPR_SDL_PATH, startBimaPuprSubgraph } from '../examples/bima-pupr/src/server';
import { laporCredentialPlugin } from '../bench/hive/lapor-plugin';
import { createAuthenticator } from '@lapor-hub/gateway/src/authenticate';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { latestSupergraph } from '@lapor-hub/gateway/src/registry-supergraph';
import { ServiceClient, supergraphSubgraphUrls, type ServiceHandle } from '@lapor-hub/lib';
import { NATIONAL_ID, postGraphQL, TestHub, type GraphQLResponse } from './support/hub';
import { MUTATIONS, submit } from './support/lifecycle';

// The registry's supergraph stays standard Federation 2: Hive Gateway, given the version our
// gateways load (the hub's subgraphs and a node's), answers a set of queries as ours does: the
// same data, the same error codes at the same paths.

let hub: TestHub;
let node: ServiceHandle;
let hive: { runtime: GatewayRuntime; server: http.Server; url: string };
const tokens = {} as Record<'national' | 'regency' | 'province' | 'liaison', string>;
const complaints: string[] = [];

const PUBLISH = `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ok errors { code message } } }`;

/** Hive Gateway in this process on `supergraph`, authenticating and signing its subgraph fetches as ours does. */
async function startHive(supergraph: string) {
  const runtime = createGatewayRuntime({
    supergraph,
    logging: 'error',
    plugins: () => [
      laporCredentialPlugin({
        authenticate: createAuthenticator({ secrets: hub.secrets, agenciesUrl: hub.subgraphs.agencies.url }),
        signCredential: gatewayCredentialSigner(hub.secrets.gatewayKeys),
      }),
    ],
  });
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { runtime, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

beforeAll(async () => {
  hub = await TestHub.start();
  node = await startBimaPuprSubgraph({ databaseUrl: hub.databases.urls.registry, poolMax: hub.databases.poolMax, gatewayJwksUrl: hub.jwksUrl });
  tokens.national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  tokens.regency = await hub.token('AGENCY_ADMIN', 'region-52.06');
  tokens.province = await hub.token('AGENCY_ADMIN', 'region-52');
  tokens.liaison = await hub.token('LIAISON_OFFICER', 'region-52.06');
  const published = await hub.query(
    PUBLISH,
    { input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr', url: node.url, sdl: readFileSync(BIMA_PUPR_SDL_PATH, 'utf8') } },
    tokens.national,
  );
  expect(published.data.publishNodeSubgraph).toEqual({ ok: true, errors: [] });

  // Three complaints forwarded to Kabupaten Bima, one of them escalated to the province, one with work orders.
  for (const title of ['Jembatan desa ambruk', 'Jalan berlubang di Sape', 'Lampu jalan padam']) {
    const { id } = await submit(hub, { title });
    await hub.query(MUTATIONS.verify, { input: { complaintId: id, version: 1 } }, tokens.national);
    const forwarded = await hub.query(MUTATIONS.forward, { input: { complaintId: id, version: 2, agencyId: 'region-52.06' } }, tokens.national);
    expect(forwarded.errors).toBeUndefined();
    complaints.push(id);
  }
  const escalated = await hub.query(
    `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
    { input: { complaintId: complaints[0], toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY', note: 'Jembatan provinsi' } },
    tokens.liaison,
  );
  expect(escalated.errors).toBeUndefined();
  await hub.sql('registry', `insert into bima_pupr.work_order (number, complaint_id, status, scheduled_for) values ('PUPR-2026-0042', $1, 'SCHEDULED', '2026-12-03'), ('PUPR-2026-0043', $1, 'OPEN', null)`, [
    complaints[0],
  ]);

  // What our gateways load: the registry's latest version, asked as they ask it.
  const supergraph = await latestSupergraph(new ServiceClient({ name: 'registry', url: hub.subgraphs.registry.url }, 'gateway', hub.secrets));
  expect(Object.keys(supergraphSubgraphUrls(supergraph.sdl)).sort()).toEqual(['agencies', 'bimaPupr', 'complaints', 'escalation', 'registry', 'webhooks']);
  // Our gateway serves that version before the comparison starts.
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (!(await hub.query(`{ bimaPuprWorkOrders { number } }`, {}, tokens.national)).errors) break;
  }
  hive = await startHive(supergraph.sdl);
});

afterAll(async () => {
  await hive?.runtime.dispose();
  await new Promise((resolve) => (hive ? hive.server.close(resolve) : resolve(undefined)));
  await node?.stop();
  await hub?.stop();
});

/** What is compared of an answer: its data, and each error's code and path (messages are each gateway's wording). */
function comparable(answer: GraphQLResponse) {
  const errors = answer.errors?.map((error) => ({ code: error.extensions?.code, path: error.path?.join('.') ?? null }));
  return { data: answer.data ?? null, errors: errors?.sort((a, b) => `${a.path} ${a.code}`.localeCompare(`${b.path} ${b.code}`)) ?? [] };
}

async function bothAnswer(query: string, variables: Record<string, unknown>, token?: string) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const [ours, theirs] = await Promise.all([postGraphQL(hub.gateway.url, query, variables, headers), postGraphQL(hive.url, query, variables, headers)]);
  return { ours: comparable(ours), theirs: comparable(theirs) };
}

const COMPLAINT = `query($id: ID!) { complaint(id: $id) { id trackingId title status type channel submittedAt verifyDueAt followUpDueAt overdue version
  category { id name } addressedAgency { id name } assignedAgency { id name kind parent { name ancestors { id } } } } }`;
const INBOX = `query($first: Int, $after: String) { agency(id: "region-52.06") { name assignedComplaints(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id trackingId status overdue assignedAgency { name } escalations { reason status toAgency { name } } } } } } }`;

const DASHBOARD = `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
  stats { total forwarded closed completionRate overdue { verification followUp } byStatus { status count } escalationsReceived }
  provinces { rank forwarded agency { name } } regenciesAndCities { rank forwarded agency { id name } } } }`;
const LAST_HALF_YEAR = { from: new Date(Date.now() - 180 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };

/** A query, its variables and caller, and the error codes our gateway answers it with (none: data only). */
type Case = [name: string, query: string, variables: () => Record<string, unknown>, token: () => string | undefined, codes?: string[]];

const CASES: Case[] = [
  ['the public listing', `{ publicComplaints(first: 2) { totalCount pageInfo { hasNextPage } edges { node { trackingId title status category { name } } } } }`, () => ({}), () => undefined],
  ['categories and a node with its ancestors', `{ categories { id name } agency(id: "region-52.06") { name kind regionCode timeZone ancestors { id name } } }`, () => ({}), () => undefined],
  ['a complaint by id with its agencies nested', COMPLAINT, () => ({ id: complaints[1] }), () => tokens.national],
  ['a complaint with its escalation and the agencies on both ends', `query($id: ID!) { complaint(id: $id) { title escalations { reason status note overdue respondDueAt fromAgency { name } toAgency { name parent { name } } complaint { trackingId } } } }`, () => ({ id: complaints[0] }), () => tokens.national],
  ['the inbox as its admin, first page', INBOX, () => ({ first: 2 }), () => tokens.regency],
  ['the inbox as its admin, second page', INBOX, () => ({ first: 2, after: cursorAfterFirstPage }), () => tokens.regency],
  ['incoming escalations of the province', `{ agency(id: "region-52") { incomingEscalations(status: OPEN) { totalCount edges { node { reason status fromAgency { name } complaint { title assignedAgency { name } } } } } } }`, () => ({}), () => tokens.province],
  ['outgoing escalations of the regency', `{ agency(id: "region-52.06") { outgoingEscalations(first: 5) { totalCount edges { node { reason toAgency { name } } } } } }`, () => ({}), () => tokens.regency],
  ['the national dashboard', DASHBOARD, () => LAST_HALF_YEAR, () => tokens.national],
  ['a node subgraph field on a hub entity', `query($id: ID!) { complaint(id: $id) { title bimaPupr { workOrders { number status scheduledFor } } } }`, () => ({ id: complaints[0] }), () => tokens.regency],
  ['a node subgraph field in a list of hub entities', `{ agency(id: "region-52.06") { assignedComplaints(first: 10) { edges { node { title bimaPupr { workOrders { status } } } } } } }`, () => ({}), () => tokens.regency],
  ['a node subgraph query field', `{ bimaPuprWorkOrders(status: SCHEDULED) { number status complaintId } }`, () => ({}), () => tokens.national],
  ['the registry', `{ supergraph { version subgraphs { name url } } nodeSubgraphs(first: 5) { totalCount edges { node { namespace agency { name } } } } }`, () => ({}), () => tokens.national],
  ['error: the registry asked by the public', `{ agency(id: "region-52.06") { name } nodeSubgraphs(first: 5) { totalCount } }`, () => ({}), () => undefined, ['UNAUTHENTICATED']],
  ['error: a node subgraph checked by a liaison officer', `mutation($input: NodeSubgraphInput!) { checkNodeSubgraph(input: $input) { ok } }`, () => ({ input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr', url: node.url, sdl: 'type Query { bimaPuprX: String }' } }), () => tokens.liaison, ['FORBIDDEN']],
  ['error: an unknown node subgraph removed', `mutation { removeNodeSubgraph(input: { agencyId: "region-52.06", namespace: "bimaNothing" }) { namespace } }`, () => ({}), () => tokens.national, ['NOT_FOUND']],
  ['error: a negative page size', INBOX, () => ({ first: -1 }), () => tokens.regency, ['BAD_USER_INPUT']],
  ['error: a dashboard period longer than a year', DASHBOARD, () => ({ from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }), () => tokens.national, ['BAD_USER_INPUT']],
  ['an unknown complaint beside a known agency', `{ complaint(id: "00000000-0000-0000-0000-000000000000") { title } agency(id: "region-52") { name } }`, () => ({}), () => tokens.national],
  ['another node’s complaint (null, as an unknown one)', COMPLAINT, () => ({ id: complaints[1] }), () => tokens.province],
];

let cursorAfterFirstPage: string;

describe('Hive Gateway on the registry’s supergraph answers as ours does', () => {
  beforeAll(async () => {
    const first = await postGraphQL(hub.gateway.url, INBOX, { first: 2 }, { authorization: `Bearer ${tokens.regency}` });
    cursorAfterFirstPage = first.data.agency.assignedComplaints.pageInfo.endCursor;
  });

  it.each(CASES)('%s', async (_name, query, variables, token, codes = []) => {
    const { ours, theirs } = await bothAnswer(query, variables(), token());
    expect(theirs).toEqual(ours);
    // Each case answers what it is meant to: two answers alike in failing otherwise would prove little.
    expect(ours.errors.map((error) => error.code)).toEqual(codes);
  });
});
