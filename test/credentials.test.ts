import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { startAgenciesService } from '@lapor-hub/agencies/src/server';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { JWKS_MAX_AGE_SECONDS, JWKS_PATH } from '@lapor-hub/gateway/src/server';
import {
  GATEWAY_CREDENTIAL_HEADER,
  generateSigningJwk,
  SERVICE_ISSUER,
  serviceCredentialSigner,
  SUBGRAPH_NAMES,
  type ServiceHandle,
  type SigningJwk,
  type Viewer,
} from '@lapor-hub/lib';
import { bodySha256, GATEWAY_ISSUER, startNodeSubgraph } from '@lapor-hub/node-kit';
import { BIMA_PUPR_AGENCY_ID, BIMA_PUPR_SDL_PATH, startBimaPuprSubgraph } from '../examples/bima-pupr/src/server';
import { startHubService } from '../hub/start-hub';
import { graphQLBody, NATIONAL_ID, postGraphQL, TestHub, type GraphQLResponse } from './support/hub';
import { submit } from './support/lifecycle';

// The credentials every subgraph verifies and none can forge, tried as an attacker would: one
// captured by a node's subgraph, forged, expired, re-audienced, moved to another body, replayed
// (also at another replica), without a key id, a hub service's sent to a node; the JWKS, and
// a rotation of the gateway's key.

let hub: TestHub;
/** The example node (`bimaPupr`), behind a proxy that records what the gateway sends it. */
let node: ServiceHandle;
let proxy: http.Server;
let proxyUrl: string;
const captured: { credential: string; body: string }[] = [];
/** Another node's subgraph (`bimaDemo`). */
let otherNode: ServiceHandle;

const QUERY = '{ _service { sdl } }';
const BODY = graphQLBody(QUERY);
const admin: Viewer = { kind: 'officer', sub: 'attacker', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID };
const REFUSAL = 'This service only answers the LAPOR! Hub gateway';

/** Every subgraph a credential could be presented to: the hub's five and both nodes'. */
const targets = () => [
  ...SUBGRAPH_NAMES.map((name) => ({ name: name as string, url: hub.subgraphs[name].url })),
  { name: 'bimaPupr', url: node.url },
  { name: 'bimaDemo', url: otherNode.url },
];

function post(url: string, body: string, credential?: string): Promise<GraphQLResponse> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { [GATEWAY_CREDENTIAL_HEADER]: credential } : {}) },
    body,
  }).then(async (response) => ({ status: response.status, ...((await response.json()) as object) }));
}

/** Refused as a whole, alike whatever the reason: HTTP 401, UNAUTHENTICATED, one fixed message and no detail. */
function expectRefused(answer: GraphQLResponse, where: string) {
  expect({ where, status: answer.status, data: answer.data, errors: answer.errors }).toEqual({
    where,
    status: 401,
    data: undefined,
    errors: [{ message: REFUSAL, extensions: { code: 'UNAUTHENTICATED' } }],
  });
}

/** A credential as the gateway signs one, with every claim and header open to change. */
async function craft(key: SigningJwk, claims: JWTPayload, header: Record<string, unknown> = { alg: 'EdDSA', kid: key.kid }): Promise<string> {
  const { kid: _kid, ...jwk } = key;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: GATEWAY_ISSUER, iat: now, exp: now + 60, jti: randomUUID(), bodySha256: bodySha256(BODY), viewer: null, ...claims })
    .setProtectedHeader(header as { alg: string })
    .sign(await importJWK(jwk, 'EdDSA'));
}

beforeAll(async () => {
  hub = await TestHub.start();
  node = await startBimaPuprSubgraph({ databaseUrl: hub.databases.urls.registry, poolMax: hub.databases.poolMax, gatewayJwksUrl: hub.jwksUrl });
  proxy = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const credential = request.headers[GATEWAY_CREDENTIAL_HEADER] as string;
      captured.push({ credential, body });
      const answer = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential }, body });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
  const demoSdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { bimaDemoPing: String }';
  otherNode = await startNodeSubgraph({ namespace: 'bimaDemo', typeDefs: parse(demoSdl), resolvers: { Query: { bimaDemoPing: () => 'pong' } }, jwksUrl: hub.jwksUrl, createContext: () => ({}) });
});
afterAll(async () => {
  await otherNode?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
  await node?.stop();
  await hub?.stop();
});

describe('a credential captured by a node’s subgraph', () => {
  it('is refused by each hub subgraph, by another node’s, and by the node itself a second time', async () => {
    const token = await hub.token('AGENCY_ADMIN', BIMA_PUPR_AGENCY_ID);
    const published = await hub.query(
      `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ok errors { code message } } }`,
      { input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr', url: proxyUrl, sdl: readFileSync(BIMA_PUPR_SDL_PATH, 'utf8') } },
      token,
    );
    expect(published.data.publishNodeSubgraph).toEqual({ ok: true, errors: [] });
    const complaint = await submit(hub);
    const query = `query($id: ID!) { complaint(id: $id) { title bimaPupr { workOrders { status } } } }`;
    const deadline = Date.now() + 10_000;
    let answer = await hub.query(query, { id: complaint.id }, token);
    while (answer.errors && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await hub.query(query, { id: complaint.id }, token);
    }
    expect(answer).toMatchObject({ data: { complaint: { bimaPupr: { workOrders: [] } } } });

    const fetch = captured.filter(({ body }) => body.includes('_entities')).at(-1)!;
    // What the node saw: the viewer the gateway vouches for, never the user's own token.
    const [, payload] = fetch.credential.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toEqual({
      iss: 'lapor-hub-gateway',
      aud: 'bimaPupr',
      iat: expect.any(Number),
      exp: claims.iat + 60,
      jti: expect.any(String),
      bodySha256: bodySha256(fetch.body),
      viewer: { sub: 'test-agency_admin', role: 'AGENCY_ADMIN', agencyId: BIMA_PUPR_AGENCY_ID },
    });
    expect(fetch.credential).not.toContain(token);
    for (const target of targets()) expectRefused(await post(target.url, fetch.body, fetch.credential), target.name);
  });
});

describe('every subgraph, the hub’s and the nodes’, refuses', () => {
  it('no credential, a user token, and one signed with another key under the gateway’s key id', async () => {
    const forger = { ...generateSigningJwk(), kid: hub.secrets.gatewayKeys.current.kid };
    for (const target of targets()) {
      expectRefused(await post(target.url, BODY), target.name);
      expectRefused(await post(target.url, BODY, await hub.token('NATIONAL_ADMIN', NATIONAL_ID)), target.name);
      expectRefused(await post(target.url, BODY, await craft(forger, { aud: target.name })), target.name);
    }
  });

  it('an expired credential, one that lives longer than 60 s, and one issued in the future', async () => {
    const key = hub.secrets.gatewayKeys.current;
    const now = Math.floor(Date.now() / 1000);
    for (const target of targets()) {
      expectRefused(await post(target.url, BODY, await craft(key, { aud: target.name, iat: now - 120, exp: now - 60 })), target.name);
      expectRefused(await post(target.url, BODY, await craft(key, { aud: target.name, exp: now + 3600 })), target.name);
      expectRefused(await post(target.url, BODY, await craft(key, { aud: target.name, iat: now + 600, exp: now + 660 })), target.name);
    }
  });

  it('a credential for another subgraph, for several at once, or for none', async () => {
    const key = hub.secrets.gatewayKeys.current;
    const names = targets().map(({ name }) => name);
    for (const target of targets()) {
      const other = names.find((name) => name !== target.name)!;
      expectRefused(await post(target.url, BODY, await gatewayCredentialSigner(hub.secrets.gatewayKeys)(other, admin, BODY)), target.name);
      expectRefused(await post(target.url, BODY, await craft(key, { aud: names })), target.name);
      expectRefused(await post(target.url, BODY, await craft(key, { aud: undefined })), target.name);
    }
  });

  it('a credential moved to another body', async () => {
    for (const target of targets()) {
      const credential = await gatewayCredentialSigner(hub.secrets.gatewayKeys)(target.name, admin, graphQLBody('{ __typename }'));
      expectRefused(await post(target.url, BODY, credential), target.name);
    }
  });

  it('a credential without a key id, with another algorithm, or from another issuer', async () => {
    const key = hub.secrets.gatewayKeys.current;
    for (const target of targets()) {
      expectRefused(await post(target.url, BODY, await craft(key, { aud: target.name }, { alg: 'EdDSA' })), target.name);
      const hs256 = await new SignJWT({ iss: GATEWAY_ISSUER, aud: target.name, jti: randomUUID(), bodySha256: bodySha256(BODY), viewer: null })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(Buffer.from(key.x, 'base64url'));
      expectRefused(await post(target.url, BODY, hs256), target.name);
      expectRefused(await post(target.url, BODY, await craft(key, { aud: target.name, iss: 'someone-else' })), target.name);
    }
  });

  it('a replayed credential, also at another replica of the same subgraph sharing its database', async () => {
    const replica = await hub.startSubgraph('complaints');
    try {
      for (const target of targets()) {
        const credential = await gatewayCredentialSigner(hub.secrets.gatewayKeys)(target.name, admin, BODY);
        expect((await post(target.url, BODY, credential)).errors).toBeUndefined();
        expectRefused(await post(target.url, BODY, credential), target.name);
      }
      // Used at one replica, refused at the other, in either order.
      for (const [first, second] of [
        [hub.subgraphs.complaints.url, replica.url],
        [replica.url, hub.subgraphs.complaints.url],
      ]) {
        const credential = await gatewayCredentialSigner(hub.secrets.gatewayKeys)('complaints', admin, BODY);
        expect((await post(first, BODY, credential)).errors).toBeUndefined();
        expectRefused(await post(second, BODY, credential), 'the other complaints replica');
      }
    } finally {
      await replica.stop();
    }
  });
});

describe('hub service credentials', () => {
  it('are refused by a node’s subgraph, and the gateway’s key cannot make one', async () => {
    const asComplaints = serviceCredentialSigner(hub.secrets.serviceKeys, 'complaints');
    for (const target of [{ name: 'bimaPupr', url: node.url }, { name: 'bimaDemo', url: otherNode.url }]) {
      expectRefused(await post(target.url, BODY, await asComplaints(target.name, BODY)), target.name);
    }
    // Signed with the gateway's key, claiming to be a hub service: no hub subgraph takes it.
    const escalationDirectory = '{ _service { sdl } }';
    for (const name of SUBGRAPH_NAMES) {
      const posing = await craft(hub.secrets.gatewayKeys.current, { iss: SERVICE_ISSUER, aud: name, sub: 'escalation', bodySha256: bodySha256(graphQLBody(escalationDirectory)) });
      expectRefused(await post(hub.subgraphs[name].url, graphQLBody(escalationDirectory), posing), name);
    }
    // A genuine one is taken by its audience alone.
    const genuine = await asComplaints('agencies', BODY);
    expectRefused(await post(hub.subgraphs.webhooks.url, BODY, genuine), 'webhooks');
    expect((await post(hub.subgraphs.agencies.url, BODY, genuine)).errors).toBeUndefined();
  });
});

describe('the gateway’s JWKS', () => {
  it('serves the public keys only, cacheably', async () => {
    const response = await fetch(hub.jwksUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(`public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    const text = await response.text();
    const { current } = hub.secrets.gatewayKeys;
    expect(JSON.parse(text)).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: current.x, kid: current.kid, alg: 'EdDSA', use: 'sig' }] });
    expect(text).not.toMatch(/"d"/);
    expect(text).not.toContain(current.d);
    expect(text).not.toContain(hub.secrets.serviceKeys.current.x);
  });

  it('publishes the next key before it signs: a credential signed with it verifies, at a node and at a hub subgraph reading the JWKS, once published', async () => {
    const next = generateSigningJwk();
    const unpublished = generateSigningJwk();
    const rotating = await startHubService(
      'gateway',
      { ...hub.serviceConfig, secrets: { ...hub.secrets, gatewayKeys: { current: hub.secrets.gatewayKeys.current, next } } },
      { registry: hub.subgraphs.registry.url, agencies: hub.subgraphs.agencies.url, complaints: hub.subgraphs.complaints.url },
    );
    const jwksUrl = new URL(JWKS_PATH, rotating.url).toString();
    const { keys } = (await (await fetch(jwksUrl)).json()) as { keys: { kid: string; d?: string }[] };
    expect(keys.map(({ kid }) => kid)).toEqual([hub.secrets.gatewayKeys.current.kid, next.kid]);
    expect(keys.every((key) => !('d' in key))).toBe(true);
    const demoSdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Query { bimaNextPing: String }';
    const nodeOnRotating = await startNodeSubgraph({ namespace: 'bimaNext', typeDefs: parse(demoSdl), resolvers: {}, jwksUrl, createContext: () => ({}) });
    // A hub subgraph configured with GATEWAY_JWKS_URL rather than the keys themselves.
    const agencies = await startAgenciesService({
      databaseUrl: hub.databases.urls.agencies,
      poolMax: hub.databases.poolMax,
      secrets: { serviceKeys: hub.secrets.serviceKeys, gatewayPublicKeys: { jwksUrl } },
    });
    try {
      for (const [audience, url] of [
        ['bimaNext', nodeOnRotating.url],
        ['agencies', agencies.url],
      ]) {
        expectRefused(await post(url, BODY, await gatewayCredentialSigner({ current: unpublished })(audience, admin, BODY)), audience);
        const withNext = await gatewayCredentialSigner({ current: next })(audience, admin, BODY);
        expect((await post(url, BODY, withNext)).errors).toBeUndefined();
        const withCurrent = await gatewayCredentialSigner(hub.secrets.gatewayKeys)(audience, admin, BODY);
        expect((await post(url, BODY, withCurrent)).errors).toBeUndefined();
      }
    } finally {
      await agencies.stop();
      await nodeOnRotating.stop();
      await rotating.stop();
    }
  });
});

describe('the example node', () => {
  it('answers the gateway’s credential for its namespace, and holds no secret of the hub', async () => {
    const credential = await gatewayCredentialSigner(hub.secrets.gatewayKeys)('bimaPupr', admin, BODY);
    const answer = await postGraphQL(node.url, QUERY, {}, { [GATEWAY_CREDENTIAL_HEADER]: credential });
    expect(answer.errors).toBeUndefined();
    const sources = ['main.ts', 'server.ts'].map((file) => readFileSync(`${__dirname}/../examples/bima-pupr/src/${file}`, 'utf8')).join('\n');
    expect(sources).not.toMatch(/SIGNING_KEY|GATEWAY_SECRET|secretsFromEnv|serviceKeys|gatewayKeys/);
  });
});
