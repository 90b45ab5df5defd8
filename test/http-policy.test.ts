import { loadGatewayConfig } from '@lapor-hub/gateway/src/config';
import { readCommittedSupergraph, type ServiceHandle } from '@lapor-hub/lib';
import { ExtraGateways } from './support/extra-gateways';
import { TestHub } from './support/hub';

/** Issue "What a hostile client found", item 9: headers, caching, CORS, health and landing pages. */
let hub: TestHub;
let production: ServiceHandle;
let withCors: ServiceHandle;
let adminToken: string;
const gateways = new ExtraGateways();
const FORM_ORIGIN = 'https://lapor.bima.go.id';

beforeAll(async () => {
  hub = await TestHub.start();
  production = await gateways.start(hub, { production: true });
  withCors = await gateways.start(hub, { corsOrigins: [FORM_ORIGIN, 'http://localhost:5173'] });
  adminToken = await hub.token('AGENCY_ADMIN', 'region-52.06');
});
afterAll(async () => {
  await gateways.stopAll();
  await hub?.stop();
});

const json = { 'content-type': 'application/json' };
const QUERY = JSON.stringify({ query: '{ categories { id } }' });

/** Every kind of answer the gateway gives: GraphQL (ok, refused, malformed), CSV, health, unknown paths. */
function everyKindOfAnswer(base: string) {
  const at = (path: string) => new URL(path, base).toString();
  const bearer = () => ({ authorization: `Bearer ${adminToken}` });
  return [
    ['a GraphQL answer', () => fetch(at('/graphql'), { method: 'POST', headers: json, body: QUERY })],
    ['an officer’s GraphQL answer', () => fetch(at('/graphql'), { method: 'POST', headers: { ...json, ...bearer() }, body: JSON.stringify({ query: '{ agency(id: "region-52.06") { assignedComplaints { totalCount } } }' }) })],
    ['a GraphQL refusal', () => fetch(at('/graphql'), { method: 'POST', headers: json, body: '{' })],
    ['a GraphQL GET', () => fetch(at(`/graphql?query=${encodeURIComponent('{ categories { id } }')}`), { headers: { 'apollo-require-preflight': 'true' } })],
    ['the complaints CSV', () => fetch(at('/export/complaints.csv?agencyId=region-52.06'), { headers: bearer() })],
    ['a refused CSV', () => fetch(at('/export/complaints.csv?agencyId=region-52.06'))],
    ['health', () => fetch(at('/health'))],
    ['an unknown path', () => fetch(at('/nope'))],
  ] as const;
}

describe('headers on every response', () => {
  it.each(everyKindOfAnswer('http://placeholder').map(([what]) => what))('%s: nosniff, no framing, no referrer, no-store, no X-Powered-By', async (what) => {
    for (const base of [() => hub.gateway.url, () => production.url]) {
      const [, send] = everyKindOfAnswer(base()).find(([name]) => name === what)!;
      const response = await send();
      await response.arrayBuffer();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('sends HSTS and a CSP that loads nothing in production only', async () => {
    const development = await fetch(hub.gateway.url, { method: 'POST', headers: json, body: QUERY });
    expect(development.headers.get('strict-transport-security')).toBeNull();
    const secure = await fetch(production.url, { method: 'POST', headers: json, body: QUERY });
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(secure.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });
});

describe('GET /health', () => {
  it('names no internal URL in production', async () => {
    const health = await (await fetch(new URL('/health', production.url))).json();
    expect(health).toEqual({
      status: 'ok',
      subgraphs: [
        { name: 'agencies', status: 'up' },
        { name: 'complaints', status: 'up' },
        { name: 'escalation', status: 'up' },
        { name: 'registry', status: 'up' },
        { name: 'webhooks', status: 'up' },
      ],
    });
    expect(JSON.stringify(health)).not.toMatch(/127\.0\.0\.1|localhost|http/);
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('lets a listed origin’s web form call the gateway, and no other origin', async () => {
    const allowed = await preflight(withCors.url, FORM_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(FORM_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    const answer = await fetch(withCors.url, { method: 'POST', headers: { ...json, origin: FORM_ORIGIN }, body: QUERY });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(FORM_ORIGIN);

    for (const url of [withCors.url, hub.gateway.url]) {
      const refused = await preflight(url, 'https://evil.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const read = await fetch(url, { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: QUERY });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect((await preflight(hub.gateway.url, FORM_ORIGIN)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention: a request sent without a preflight is refused, even from a listed origin', async () => {
    for (const [contentType, body] of [
      ['text/plain', QUERY],
      ['application/x-www-form-urlencoded', 'query=%7B%20categories%20%7B%20id%20%7D%20%7D'],
    ]) {
      const response = await fetch(withCors.url, { method: 'POST', headers: { 'content-type': contentType, origin: FORM_ORIGIN }, body });
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    }
  });

  it('is configured by CORS_ORIGINS', () => {
    const supergraph = readCommittedSupergraph();
    expect(loadGatewayConfig({ CORS_ORIGINS: 'https://lapor.bima.go.id, http://localhost:5173' }, supergraph).corsOrigins).toEqual([
      'https://lapor.bima.go.id',
      'http://localhost:5173',
    ]);
    expect(loadGatewayConfig({}, supergraph).corsOrigins).toEqual([]);
    expect(() => loadGatewayConfig({ CORS_ORIGINS: 'https://lapor.bima.go.id/form' }, supergraph)).toThrow(/CORS_ORIGINS/);
    expect(() => loadGatewayConfig({ CORS_ORIGINS: '*' }, supergraph)).toThrow(/CORS_ORIGINS/);
  });
});

describe('landing pages', () => {
  it.each(['agencies', 'complaints', 'escalation'] as const)('the %s subgraph serves no page to a browser', async (name) => {
    const response = await fetch(hub.subgraphs[name].url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(await response.text()).not.toMatch(/<html|<!DOCTYPE|apollographql/i);
  });

  it('the production gateway serves none either', async () => {
    const response = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/<html|<!DOCTYPE|apollographql/i);
  });
});
