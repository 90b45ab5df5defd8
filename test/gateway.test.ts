import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { generateSigningJwk, GATEWAY_CREDENTIAL_HEADER, readCommittedSupergraph } from '@lapor-hub/lib';
import { bodySha256 } from '@lapor-hub/node-kit';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { graphQLBody, NATIONAL_ID, postGraphQL, TestHub } from './support/hub';
import { MUTATIONS, submit } from './support/lifecycle';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(() => hub?.stop());

describe('identity at the gateway', () => {
  it('refuses a bad, expired or malformed bearer token with UNAUTHENTICATED', async () => {
    const forged = await new SignJWT({ role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('intruder')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret'));
    const expired = await new SignJWT({ role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('officer')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(hub.secrets.jwtSecret);
    const wrongRole = await new SignJWT({ role: 'SUPERUSER', agencyId: NATIONAL_ID })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('officer')
      .setExpirationTime('1h')
      .sign(hub.secrets.jwtSecret);
    for (const authorization of [`Bearer ${forged}`, `Bearer ${expired}`, `Bearer ${wrongRole}`, 'Basic abc', 'Bearer']) {
      const response = await postGraphQL(hub.gateway.url, '{ categories { id } }', {}, { authorization });
      expect(response.status).toBe(401);
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const valid = await hub.query('{ categories { id } }', {}, await hub.token('AGENCY_SYSTEM', 'region-52.06'));
    expect(valid.errors).toBeUndefined();
  });
});

describe('RS256 tokens against a JWKS (JWT_JWKS_URL)', () => {
  it('accepts a token signed by the identity provider’s key and refuses an HS256 one', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    const jwksServer = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    const gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
      secrets: { ...hub.secrets, jwksUrl },
    });
    try {
      const rs256 = await new SignJWT({ role: 'AGENCY_SYSTEM', agencyId: 'region-52.06' })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setSubject('simpel-bima')
        .setExpirationTime('5m')
        .sign(privateKey);
      const accepted = await postGraphQL(gateway.url, '{ agency(id: "region-52.06") { assignedComplaints { totalCount } } }', {}, { authorization: `Bearer ${rs256}` });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.agency.assignedComplaints.totalCount).toBeGreaterThanOrEqual(0);
      const hs256 = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
      const refused = await postGraphQL(gateway.url, '{ categories { id } }', {}, { authorization: `Bearer ${hs256}` });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await gateway.stop();
      jwksServer.close();
    }
  });
});

describe('subgraphs answer only the gateway', () => {
  const admin = { kind: 'officer', sub: 'x', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID } as const;
  const entities = `{ _service { sdl } }`;
  const refusedWith401 = (response: { status: number; errors?: { extensions?: { code?: string } }[] }) => {
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  };

  it.each(['agencies', 'complaints', 'escalation'] as const)('%s refuses calls without a valid gateway credential', async (name) => {
    const url = hub.subgraphs[name].url;
    refusedWith401(await postGraphQL(url, entities));
    const forged = await gatewayCredentialSigner({ current: generateSigningJwk() })(name, admin, graphQLBody(entities));
    refusedWith401(await postGraphQL(url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: forged }));
    // A user token is not a gateway credential.
    const userToken = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    refusedWith401(await postGraphQL(url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: userToken }));
    const genuine = await hub.querySubgraph(name, entities);
    expect(genuine.errors).toBeUndefined();
  });

  it.each(['agencies', 'complaints', 'escalation'] as const)('%s refuses an expired credential', async (name) => {
    const { kid, ...jwk } = hub.secrets.gatewayKeys.current;
    const expired = await new SignJWT({ viewer: { sub: admin.sub, role: admin.role, agencyId: admin.agencyId }, bodySha256: bodySha256(graphQLBody(entities)) })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setIssuer('lapor-hub-gateway')
      .setAudience(name)
      .setJti('expired-credential')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await importJWK(jwk, 'EdDSA'));
    refusedWith401(await postGraphQL(hub.subgraphs[name].url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: expired }));
  });

  it.each(['agencies', 'complaints', 'escalation'] as const)('%s answers a credential once: a replay is refused', async (name) => {
    const url = hub.subgraphs[name].url;
    const credential = await hub.credential(name, admin, graphQLBody(entities));
    const first = await postGraphQL(url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: credential });
    expect(first.errors).toBeUndefined();
    refusedWith401(await postGraphQL(url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: credential }));
  });

  it('refuses a credential carried over to another operation, even unused', async () => {
    const url = hub.subgraphs.complaints.url;
    const harmless = `{ __typename }`;
    const credential = await hub.credential('complaints', admin, graphQLBody(harmless));
    refusedWith401(await postGraphQL(url, entities, {}, { [GATEWAY_CREDENTIAL_HEADER]: credential }));
    // The same query with other variables is another body too.
    const lookup = 'query($id: ID!) { complaint(id: $id) { id } }';
    const forOne = await hub.credential('complaints', admin, graphQLBody(lookup, { id: '00000000-0000-4000-8000-000000000001' }));
    refusedWith401(await postGraphQL(url, lookup, { id: '00000000-0000-4000-8000-000000000002' }, { [GATEWAY_CREDENTIAL_HEADER]: forOne }));
  });
});

describe('identical requests in flight', () => {
  it('shares a query fetch but never a mutation: two identical submissions at once are two complaints', async () => {
    const [first, second] = await Promise.all([submit(hub), submit(hub)]);
    expect(first.id).not.toBe(second.id);
    expect(first.trackingId).not.toBe(second.trackingId);
  });
});

describe('escalations across subgraphs', () => {
  let complaintId: string;
  let escalationId: string;

  beforeAll(async () => {
    complaintId = (await submit(hub, { title: 'Izin usaha tertahan', body: 'Izin usaha mikro kami tertahan tiga bulan.', categoryId: 'PERMITS' })).id;
    const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    await hub.query(MUTATIONS.verify, { input: { complaintId, version: 1 } }, national);
    await hub.query(MUTATIONS.forward, { input: { complaintId, version: 2, agencyId: 'region-52.06' } }, national);
    const escalated = await hub.query(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { input: { complaintId, toAgencyId: 'region-52', reason: 'HIGHER_AUTHORITY', note: 'Butuh kewenangan provinsi' } },
      await hub.token('LIAISON_OFFICER', 'region-52.06'),
    );
    escalationId = escalated.data.escalateComplaint.escalation.id;
  });

  it('joins a complaint, its escalations and their agencies in one query through the gateway', async () => {
    const token = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const { data, errors } = await hub.query(
      `query($id: ID!, $escalationId: ID!) {
        complaint(id: $id) { title escalations { id reason status fromAgency { name } toAgency { name kind } } }
        escalation(id: $escalationId) { note complaint { title addressedAgency { name } } }
      }`,
      { id: complaintId, escalationId },
      token,
    );
    expect(errors).toBeUndefined();
    expect(data.complaint).toEqual({
      title: 'Izin usaha tertahan',
      escalations: [
        { id: escalationId, reason: 'HIGHER_AUTHORITY', status: 'OPEN', fromAgency: { name: 'Kabupaten Bima' }, toAgency: { name: 'Nusa Tenggara Barat', kind: 'PROVINCE' } },
      ],
    });
    expect(data.escalation).toEqual({
      note: 'Butuh kewenangan provinsi',
      complaint: { title: 'Izin usaha tertahan', addressedAgency: { name: 'Kabupaten Bima' } },
    });
  });

  it('resolves Complaint.escalations for many complaints with one SQL query', async () => {
    hub.sqlCounter.reset();
    const { data, errors } = await hub.querySubgraph(
      'escalation',
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Complaint { escalations { id } } } }`,
      { representations: [complaintId, ...Array.from({ length: 30 }, () => crypto.randomUUID())].map((id) => ({ __typename: 'Complaint', id })) },
      { kind: 'officer', sub: 't', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID },
    );
    expect(errors).toBeUndefined();
    expect(data._entities[0].escalations).toEqual([{ id: escalationId }]);
    expect(hub.sqlCounter.count('escalation')).toBe(1);
  });

  it('shows the public no escalations', async () => {
    const { data } = await hub.query(`query($id: ID!, $e: ID!) { complaint(id: $id) { escalations { id } } escalation(id: $e) { id } }`, {
      id: complaintId,
      e: escalationId,
    });
    expect(data).toEqual({ complaint: { escalations: [] }, escalation: null });
  });
});

describe('health and outages', () => {
  it('reports which subgraph is down, serves partial data meanwhile, and recovers when it returns', async () => {
    const healthUrl = new URL('/health', hub.gateway.url);
    const healthy = await fetch(healthUrl);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({
      status: 'ok',
      subgraphs: [
        { name: 'agencies', status: 'up' },
        { name: 'complaints', status: 'up' },
        { name: 'escalation', status: 'up' },
        { name: 'registry', status: 'up' },
        { name: 'webhooks', status: 'up' },
      ],
    });

    const token = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    const submitted = await hub.query(
      `mutation { submitComplaint(input: { type: ASPIRATION, title: "Taman kota", body: "Mohon taman kota diperbanyak.", channel: WEB, regionCode: "52.71" }) { complaint { id } } }`,
    );
    const id = submitted.data.submitComplaint.complaint.id;
    const query = `query($id: ID!) { complaint(id: $id) { title addressedAgency { name } escalations { id } } }`;
    await hub.withSubgraphDown('escalation', async () => {
      const degraded = await fetch(healthUrl);
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({
        status: 'degraded',
        subgraphs: [{ status: 'up' }, { status: 'up' }, { name: 'escalation', status: 'down' }, { name: 'registry', status: 'up' }, { name: 'webhooks', status: 'up' }],
      });

      const partial = await hub.query(query, { id }, token);
      expect(partial.data.complaint).toEqual({ title: 'Taman kota', addressedAgency: { name: 'Kota Mataram' }, escalations: null });
      expect(partial.errors).toEqual([expect.objectContaining({ extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'escalation' } })]);
    });

    // Back on the same address: the gateway recovers by itself.
    expect((await fetch(healthUrl)).status).toBe(200);
    const recovered = await hub.query(query, { id }, token);
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data.complaint).toEqual({ title: 'Taman kota', addressedAgency: { name: 'Kota Mataram' }, escalations: [] });
  });
});
