import { TestHub } from './support/hub';

/** Issue "What a hostile client found", item 6: every client mistake is a 4xx with a client code. */
let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

const CLIENT_CODES = ['BAD_REQUEST', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'NOT_FOUND'];
const json = { 'content-type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = json): RequestInit => ({
  method: 'POST',
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const preflighted = { 'apollo-require-preflight': 'true' };
const Q = '{ categories { id } }';
const MUTATION = 'mutation { submitComplaint(input: { type: COMPLAINT, title: "Jalan", body: "Jalan desa rusak berat.", channel: WEB, regionCode: "52.06" }) { complaint { id } } }';

/** [what, path and query string under the gateway, request, expected status, expected code]. */
const MISTAKES: [string, string, RequestInit, number, string][] = [
  ['two operations without operationName', '/graphql', post({ query: 'query A { categories { id } } query B { categories { name } }' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
  ['an operationName the document does not define', '/graphql', post({ query: 'query A { categories { id } }', operationName: 'Z' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
  ['an operationName for an anonymous operation', '/graphql', post({ query: Q, operationName: 'A' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
  ['a subscription', '/graphql', post({ query: 'subscription { categories { id } }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
  ['a persisted-query hash that does not match', '/graphql', post({ query: Q, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), 400, 'BAD_REQUEST'],
  ['a persisted-query version the hub does not know', '/graphql', post({ query: Q, extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }), 400, 'BAD_REQUEST'],
  ['a persisted-query extension that is no object', '/graphql', post({ query: Q, extensions: { persistedQuery: 'x' } }), 400, 'BAD_REQUEST'],
  ['extensions as a string', '/graphql', post({ query: Q, extensions: 'x' }), 400, 'BAD_REQUEST'],
  ['extensions as an array', '/graphql', post({ query: Q, extensions: [1] }), 400, 'BAD_REQUEST'],
  ['variables as a string', '/graphql', post({ query: Q, variables: 'x' }), 400, 'BAD_REQUEST'],
  ['variables as an array', '/graphql', post({ query: Q, variables: [1] }), 400, 'BAD_REQUEST'],
  ['operationName as a number', '/graphql', post({ query: Q, operationName: 5 }), 400, 'BAD_REQUEST'],
  ['query as a number', '/graphql', post({ query: 5 }), 400, 'BAD_REQUEST'],
  ['an empty query', '/graphql', post({ query: '' }), 400, 'BAD_REQUEST'],
  ['a blank query', '/graphql', post({ query: '   ' }), 400, 'GRAPHQL_PARSE_FAILED'],
  ['no body', '/graphql', { method: 'POST', headers: json }, 400, 'BAD_REQUEST'],
  ['a JSON body that is no object', '/graphql', post('"x"'), 400, 'BAD_REQUEST'],
  ['text/plain', '/graphql', post({ query: Q }, { 'content-type': 'text/plain' }), 400, 'BAD_REQUEST'],
  ['a form', '/graphql', post('query=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'BAD_REQUEST'],
  ['XML', '/graphql', post('<a/>', { 'content-type': 'application/xml' }), 400, 'BAD_REQUEST'],
  ['an unknown charset', '/graphql', post({ query: Q }, { 'content-type': 'application/json; charset=latin9' }), 415, 'BAD_REQUEST'],
  ['an unknown content encoding', '/graphql', post({ query: Q }, { ...json, 'content-encoding': 'zz' }), 415, 'BAD_REQUEST'],
  ['a mutation over GET', `/graphql?query=${encodeURIComponent(MUTATION)}`, { headers: preflighted }, 405, 'BAD_REQUEST'],
  ['GET without a query', '/graphql', { headers: preflighted }, 400, 'BAD_REQUEST'],
  ['GET with variables that are not JSON', `/graphql?query=${encodeURIComponent(Q)}&variables=%7Bx`, { headers: preflighted }, 400, 'BAD_REQUEST'],
  ['GET with extensions that are not JSON', `/graphql?query=${encodeURIComponent(Q)}&extensions=zz`, { headers: preflighted }, 400, 'BAD_REQUEST'],
  ['GET without a preflight header (CSRF)', `/graphql?query=${encodeURIComponent(Q)}`, {}, 400, 'BAD_REQUEST'],
  ['PUT', '/graphql', { ...post({ query: Q }), method: 'PUT' }, 405, 'BAD_REQUEST'],
  ['a fragment and no operation', '/graphql', post({ query: 'fragment F on Query { categories { id } }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
  ['a type definition', '/graphql', post({ query: 'type X { a: Int }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
  ['@defer', '/graphql', post({ query: '{ ... @defer { categories { id } } }' }), 400, 'GRAPHQL_VALIDATION_FAILED'],
  ['a required variable missing', '/graphql', post({ query: 'query($x: ID!) { agency(id: $x) { id } }' }), 400, 'BAD_USER_INPUT'],
  ['a path the gateway does not serve', '/nope', {}, 404, 'NOT_FOUND'],
  ['a path under /health', '/health/x', {}, 404, 'NOT_FOUND'],
  ['an export that does not exist', '/export/nope.csv', {}, 404, 'NOT_FOUND'],
];

describe('client mistakes', () => {
  it.each(MISTAKES)('%s: a 4xx with a client code, never a 500', async (_what, path, init, status, code) => {
    const response = await fetch(new URL(path, hub.gateway.url), init);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    expect(response.status).toBe(status);
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([code]);
    expect(CLIENT_CODES).toContain(code);
    expect(text).not.toMatch(/INTERNAL_SERVER_ERROR|<html|\bat .+\(/);
  });

  it('answers a persisted-query miss as the APQ protocol says: PERSISTED_QUERY_NOT_FOUND, then the query registers', async () => {
    const query = '{ categories { name } }';
    const sha256Hash = require('node:crypto').createHash('sha256').update(query).digest('hex');
    const miss = await fetch(hub.gateway.url, post({ extensions: { persistedQuery: { version: 1, sha256Hash } } }));
    expect((await miss.json()).errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    const registered = await fetch(hub.gateway.url, post({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }));
    expect(registered.status).toBe(200);
    const hit = await fetch(hub.gateway.url, post({ extensions: { persistedQuery: { version: 1, sha256Hash } } }));
    expect((await hit.json()).data.categories.length).toBeGreaterThan(0);
  });

  it('refuses a repeated export parameter instead of joining its values', async () => {
    const admin = await hub.token('AGENCY_ADMIN', 'region-52.06');
    const response = await fetch(new URL('/export/complaints.csv?agencyId=region-52.06&agencyId=region-52.01', hub.gateway.url), {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'agencyId must be given once', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});
