import { getIntrospectionQuery } from 'graphql';
import { abuseOptionsFromEnv } from '@lapor-hub/gateway/src/config';
import { startGateway, type GatewayOptions } from '@lapor-hub/gateway/src/server';
import { readCommittedSupergraph, type ServiceHandle } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub } from './support/hub';
import { submit } from './support/lifecycle';

/** The issue "Hardening", Abuse: limits at the gateway, production mode, body size, submission rate. */
let hub: TestHub;
const extraGateways: ServiceHandle[] = [];

beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.stop();
  await hub?.stop();
});

/** Another gateway in front of the test hub's subgraphs, with `options`. */
async function gatewayWith(options: Partial<GatewayOptions>): Promise<ServiceHandle> {
  const gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
    secrets: hub.secrets,
    ...options,
  });
  extraGateways.push(gateway);
  return gateway;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** A POST with any body, keeping the status, headers and raw text. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** No stack, file path or SQL in what a client reads. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\bat .+\(|node_modules|\/work\/|\.ts:\d+|stacktrace|<html|<pre/i);
}

function expectRefused(response: RawResponse, code: string, message: RegExp) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code } })]));
  expectNoInternals(response.text);
}

describe('query limits at the gateway', () => {
  it('refuses a query nested deeper than 10', async () => {
    const nested = (levels: number) => `{ agency(id: "region-52.06") { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
    // 10 levels pass (agency + 8 parents + id)…
    const within = await post(hub.gateway.url, { query: nested(8) });
    expect(within.status).toBe(200);
    expect(within.body.errors).toBeUndefined();
    // …11 do not.
    expectRefused(await post(hub.gateway.url, { query: nested(9) }), 'GRAPHQL_VALIDATION_FAILED', /depth limit of 10 exceeded/i);
  });

  it('refuses 50 aliases', async () => {
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: categories { id }`).join(' ')} }`;
    expectRefused(await post(hub.gateway.url, { query }), 'GRAPHQL_VALIDATION_FAILED', /aliases limit of 15 exceeded/i);
  });

  it('refuses a document of 5,000 fields (token limit) before validating it', async () => {
    const query = `{ categories { ${'id '.repeat(5000)}} }`;
    expectRefused(await post(hub.gateway.url, { query }), 'GRAPHQL_PARSE_FAILED', /contains more th\w+ 2000 tokens/i);
  });

  it('refuses more than 20 directives', async () => {
    const query = `{ categories { ${Array.from({ length: 25 }, () => 'id @include(if: true)').join(' ')} } }`;
    expectRefused(await post(hub.gateway.url, { query }), 'GRAPHQL_VALIDATION_FAILED', /directives limit of 20 exceeded/i);
  });

  it('refuses nested pages whose cost multiplies past the cost limit', async () => {
    const query = `{ agency(id: "region-52.06") { assignedComplaints(first: 100) { edges { node { assignedAgency {
      assignedComplaints(first: 100) { edges { node { id } } } } } } } } }`;
    expectRefused(await post(hub.gateway.url, { query }, bearer(await hub.token('NATIONAL_ADMIN', NATIONAL_ID))), 'GRAPHQL_VALIDATION_FAILED', /cost limit of 10000 exceeded/i);
  });

  it('passes the hub’s own queries: inbox pages, the dashboard, the CSV export and introspection', async () => {
    await submit(hub, { regionCode: '52.06' });
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    // The inbox query of test/inbox.test.ts, with the page size as a variable and as a literal 100.
    const inbox = `query($first: Int!) { agency(id: "region-52.06") { assignedComplaints(first: $first) { totalCount edges { node {
      id trackingId status followUpDueAt verifyDueAt overdue assignedAgency { name parent { name } } escalations { id reason status } } } } } }`;
    for (const [query, variables] of [
      [inbox, { first: 100 }],
      [inbox.replace('query($first: Int!)', 'query').replace('first: $first', 'first: 100'), {}],
    ] as const) {
      const response = await post(hub.gateway.url, { query, variables }, bearer(admin));
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const dashboard = await hub.query(
      `query($from: DateTime!, $to: DateTime!) { nationalDashboard(from: $from, to: $to) {
         stats { total forwarded closed completionRate }
         provinces { rank agency { id } forwarded closed completionRate }
         regenciesAndCities { rank agency { id name } forwarded closed completionRate }
         ministries { rank agency { id } forwarded closed completionRate } } }`,
      { from, to },
      await hub.token('DASHBOARD', NATIONAL_ID),
    );
    expect(dashboard.errors).toBeUndefined();

    // The export runs its own inbox page (`first: 100`, both connections) through the same limits.
    const csv = await fetch(new URL('/export/complaints.csv?agencyId=region-52.06&relation=addressed', hub.gateway.url), { headers: bearer(admin) });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^trackingId,status,/);

    const introspection = await post(hub.gateway.url, { query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, directiveIsRepeatable: true }) });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data.__schema.types.map((type: { name: string }) => type.name)).toContain('Complaint');
  });
});

describe('one operation per request', () => {
  it('refuses a batched (JSON array) request', async () => {
    const response = await post(hub.gateway.url, [{ query: '{ categories { id } }' }, { query: '{ categories { name } }' }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expectNoInternals(response.text);
  });
});

describe('production mode', () => {
  let production: ServiceHandle;
  beforeAll(async () => {
    production = await gatewayWith({ production: true });
  });

  it('refuses introspection', async () => {
    const response = await post(production.url, { query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.data).toBeUndefined();
    // The development gateway answers it.
    expect((await post(hub.gateway.url, { query: '{ __schema { types { name } } }' })).body.errors).toBeUndefined();
  });

  it('gives no "Did you mean" suggestions, which would name the schema', async () => {
    const misspelled = '{ categories { nam } }';
    expect((await post(hub.gateway.url, { query: misspelled })).body.errors[0].message).toMatch(/Did you mean "name"\?/);
    const response = await post(production.url, { query: misspelled });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ message: 'Cannot query field "nam" on type "Category".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

    // Nor for a misspelled enum value in the variables.
    const query = `query($status: ComplaintStatus) { agency(id: "region-52.06") { assignedComplaints(status: $status) { totalCount } } }`;
    expect((await post(hub.gateway.url, { query, variables: { status: 'FORWARDE' } })).body.errors[0].message).toMatch(/Did you mean/);
    const coerced = await post(production.url, { query, variables: { status: 'FORWARDE' } });
    expect(coerced.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(coerced.body.errors[0].message).toMatch(/FORWARDE/);
    expect(coerced.text).not.toMatch(/Did you mean|FORWARDED/);
  });
});

describe('request body size', () => {
  it('answers a body over the limit with HTTP 413 and a coded JSON error, not a stack trace', async () => {
    const padding = 'x'.repeat(1024 * 1024 + 1);
    const response = await post(hub.gateway.url, { query: '{ categories { id } }', variables: { padding } });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body).toEqual({ errors: [{ message: expect.stringMatching(/larger than 1048576 bytes/), extensions: { code: 'BAD_REQUEST' } }] });
    expectNoInternals(response.text);

    const small = await gatewayWith({ maxBodyBytes: 2048 });
    expect((await post(small.url, { query: '{ categories { id } }' })).status).toBe(200);
    const over = await post(small.url, { query: '{ categories { id } }', variables: { padding: 'x'.repeat(2048) } });
    expect(over.status).toBe(413);
    expect(over.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers malformed JSON with HTTP 400 and a coded JSON error', async () => {
    const response = await post(hub.gateway.url, '{"query": "{ categories { id } }"');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expectNoInternals(response.text);
  });
});

const SUBMIT_INPUT = `{ type: COMPLAINT, title: "Lampu jalan mati", body: "Lampu jalan di Jalan Soekarno-Hatta mati sebulan.", channel: SMS, regionCode: "52.06" }`;
const SUBMIT = `mutation { submitComplaint(input: ${SUBMIT_INPUT}) { complaint { id } } }`;
const DOUBLE_SUBMIT = `mutation { a: submitComplaint(input: ${SUBMIT_INPUT}) { complaint { id } } b: submitComplaint(input: ${SUBMIT_INPUT}) { complaint { id } } }`;

async function complaintCount(): Promise<number> {
  const [{ count }] = await hub.sql<{ count: number }>('complaints', 'select count(*)::int as count from complaints.complaint');
  return count;
}

function expectRateLimited(response: RawResponse) {
  expect(response.status).toBe(429);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([{ message: expect.stringMatching(/Too many complaints/), extensions: { code: 'RATE_LIMITED' } }]);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('the submitComplaint rate limit', () => {
  let limited: ServiceHandle;
  beforeAll(async () => {
    limited = await gatewayWith({ submitRateLimit: { perMinute: 3 } });
  });

  it('refuses a client’s 4th submission in a minute, and stores nothing for it', async () => {
    const before = await complaintCount();
    for (let i = 0; i < 3; i++) {
      const accepted = await post(limited.url, { query: SUBMIT });
      expect(accepted.status).toBe(200);
      expect(accepted.body.errors).toBeUndefined();
    }
    expectRateLimited(await post(limited.url, { query: SUBMIT }));
    expectRateLimited(await post(limited.url, { query: SUBMIT }));

    // Another client (an SMS gateway's token) still submits; the limited one still reads.
    const smsGateway = await hub.token('AGENCY_SYSTEM', 'region-52.06', 'sms-gateway-telkomsel');
    const other = await post(limited.url, { query: SUBMIT }, bearer(smsGateway));
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
    const read = await post(limited.url, { query: '{ categories { id } }' });
    expect(read.status).toBe(200);

    expect(await complaintCount()).toBe(before + 4);
  });

  it('counts every aliased submitComplaint of one operation, fragments included', async () => {
    const client = bearer(await hub.token('AGENCY_SYSTEM', 'region-52.06', 'lapor-app-android'));
    const before = await complaintCount();
    const double = await post(limited.url, { query: DOUBLE_SUBMIT }, client);
    expect(double.status).toBe(200);
    expect(double.body.errors).toBeUndefined();
    expect(await complaintCount()).toBe(before + 2);

    // 2 + 2 is over 3: the whole operation is refused, and the refused attempt costs nothing…
    expectRateLimited(await post(limited.url, { query: DOUBLE_SUBMIT }, client));
    expect(await complaintCount()).toBe(before + 2);
    // …so the 3rd still goes through.
    expect((await post(limited.url, { query: SUBMIT }, client)).body.errors).toBeUndefined();
    expect(await complaintCount()).toBe(before + 3);

    // Aliases behind a fragment count too.
    const viaFragments = `mutation { ...filing } fragment filing on Mutation {
      ${['a', 'b', 'c', 'd'].map((alias) => `${alias}: submitComplaint(input: ${SUBMIT_INPUT}) { complaint { id } }`).join(' ')} }`;
    const fresh = bearer(await hub.token('AGENCY_SYSTEM', 'region-52.06', 'lapor-app-ios'));
    expectRateLimited(await post(limited.url, { query: viaFragments }, fresh));
    expect(await complaintCount()).toBe(before + 3);
  });

  it('keys on the forwarded client IP when the proxy is trusted', async () => {
    const behindProxy = await gatewayWith({ submitRateLimit: { perMinute: 1 }, trustProxy: 'loopback' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await post(behindProxy.url, { query: SUBMIT }, from('203.0.113.7'))).status).toBe(200);
    expect((await post(behindProxy.url, { query: SUBMIT }, from('203.0.113.8'))).status).toBe(200);
    expectRateLimited(await post(behindProxy.url, { query: SUBMIT }, from('203.0.113.7')));
  });

  it('is off unless configured (the hub’s own gateway)', async () => {
    for (let i = 0; i < 5; i++) expect((await post(hub.gateway.url, { query: DOUBLE_SUBMIT })).body.errors).toBeUndefined();
  });
});

describe('internal errors', () => {
  it('reach the client as a bare INTERNAL_SERVER_ERROR when a subgraph crashes, with no SQL or stack', async () => {
    const { id } = await submit(hub, { regionCode: '52.06' });
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    // Break the escalation subgraph's table under it: its resolver's SQL now fails.
    await hub.sql('escalation', 'alter table escalation.escalation rename to escalation_renamed_by_test');
    let response: RawResponse;
    try {
      response = await post(hub.gateway.url, { query: `query($id: ID!) { complaint(id: $id) { title escalations { id reason } } }`, variables: { id } }, bearer(national));
    } finally {
      await hub.sql('escalation', 'alter table escalation.escalation_renamed_by_test rename to escalation');
    }
    expect(response.status).toBe(200);
    expect(response.body.data.complaint).toEqual({ title: 'Jembatan desa ambruk', escalations: null });
    expect(response.body.errors).toEqual([{ message: 'Internal server error', path: ['complaint', 'escalations'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(response.text).not.toMatch(/renamed_by_test|relation|select|escalation\.escalation|postgres/i);
    expectNoInternals(response.text);
  });
});

describe('configuration from the environment', () => {
  it('limits submissions to 30 a minute unless told otherwise, and reads the other limits', () => {
    expect(abuseOptionsFromEnv({})).toEqual({
      queryLimits: { maxDepth: undefined, maxAliases: undefined, maxTokens: undefined, maxDirectives: undefined, maxCost: undefined },
      maxBodyBytes: undefined,
      submitRateLimit: { perMinute: 30, burst: undefined },
      attachmentRateLimit: { perMinute: 30, burst: undefined, bytesPerMinute: 10 * 10 * 1024 * 1024 },
      trustProxy: undefined,
    });
    expect(abuseOptionsFromEnv({ SUBMIT_RATE_LIMIT_PER_MINUTE: '0' }).submitRateLimit).toBeNull();
    expect(abuseOptionsFromEnv({ ATTACHMENT_RATE_LIMIT_PER_MINUTE: '0' }).attachmentRateLimit).toBeNull();
    expect(abuseOptionsFromEnv({ ATTACHMENT_RATE_LIMIT_PER_MINUTE: '6', ATTACHMENT_MAX_BYTES: '1000', ATTACHMENT_RATE_LIMIT_BYTES_PER_MINUTE: '5000' }).attachmentRateLimit).toEqual({
      perMinute: 6,
      burst: undefined,
      bytesPerMinute: 5000,
    });
    expect(
      abuseOptionsFromEnv({ SUBMIT_RATE_LIMIT_PER_MINUTE: '120', SUBMIT_RATE_LIMIT_BURST: '20', TRUST_PROXY: '1', MAX_BODY_BYTES: '65536', GRAPHQL_MAX_DEPTH: '8' }),
    ).toMatchObject({ submitRateLimit: { perMinute: 120, burst: 20 }, trustProxy: 1, maxBodyBytes: 65536, queryLimits: { maxDepth: 8 } });
    expect(abuseOptionsFromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(abuseOptionsFromEnv({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => abuseOptionsFromEnv({ SUBMIT_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/SUBMIT_RATE_LIMIT_PER_MINUTE/);
    expect(() => abuseOptionsFromEnv({ GRAPHQL_MAX_DEPTH: '0' })).toThrow(/GRAPHQL_MAX_DEPTH/);
  });
});

describe('NUL characters', () => {
  it('are refused at the gateway with BAD_USER_INPUT (HTTP 400), in variables and in literals, storing nothing', async () => {
    const token = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const [{ count: before }] = await hub.sql<{ count: number }>('agencies', `select count(*)::int as count from agencies.agency`);
    const inVariables = await hub.query(`mutation($i: CreateAgencyUnitInput!) { createAgencyUnit(input: $i) { agency { id } } }`, { i: { parentId: 'region-52\u0000', name: 'Dinas X' } }, token);
    const inLiteral = await hub.query(`{ agency(id: "region-52\\u0000") { id } }`, {}, token);
    for (const response of [inVariables, inLiteral]) {
      expect(response.status).toBe(400);
      expect(response.errors).toEqual([expect.objectContaining({ message: 'Input must not contain NUL characters or unpaired surrogates', extensions: { code: 'BAD_USER_INPUT' } })]);
    }
    const [{ count: after }] = await hub.sql<{ count: number }>('agencies', `select count(*)::int as count from agencies.agency`);
    expect(after).toBe(before);
  });

  it('refuses cursors and DateTimes PostgreSQL could not read, as BAD_USER_INPUT', async () => {
    const token = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const farFuture = Buffer.from(JSON.stringify(['+010000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    const cursor = await hub.query(`query($a: String) { agency(id: "region-52.06") { assignedComplaints(after: $a) { totalCount } } }`, { a: farFuture }, token);
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const dates = await hub.query(`query($f: DateTime!) { nationalDashboard(from: $f, to: "2026-12-01T00:00:00Z") { stats { total } } }`, { f: '+010000-01-01T00:00:00Z' }, token);
    expect(dates.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
