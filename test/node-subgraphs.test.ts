import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIMA_PUPR_AGENCY_ID, BIMA_PUPR_SDL_PATH, startBimaPuprSubgraph } from '../examples/bima-pupr/src/server';
import { startNodeSubgraph } from '@lapor-hub/node-kit';
import { GATEWAY_CREDENTIAL_HEADER, type ServiceHandle, type SubgraphName, type Viewer } from '@lapor-hub/lib';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { startRegistryService } from '@lapor-hub/registry/src/server';
import { parse } from 'graphql';
import { graphQLBody, NATIONAL_ID, postGraphQL, TestHub } from './support/hub';
import { submit } from './support/lifecycle';

// A node's subgraph plugged into the hub through the gateway: the example node (Kabupaten Bima's
// public works) published, queried beside the national model, cut off, and removed; then every
// refusal of the registry, each leaving the served supergraph as it was.

let hub: TestHub;
let node: ServiceHandle;
let nodePort: number;
const BIMA_SDL = readFileSync(BIMA_PUPR_SDL_PATH, 'utf8');

const RESULT = `ok errors { code message } warnings { code message }`;
const CHECK = `mutation($input: NodeSubgraphInput!) { checkNodeSubgraph(input: $input) { ${RESULT} } }`;
const PUBLISH = `mutation($input: NodeSubgraphInput!) { publishNodeSubgraph(input: $input) { ${RESULT} subgraph { namespace version } supergraphVersion } }`;
const REMOVE = `mutation($input: RemoveNodeSubgraphInput!) { removeNodeSubgraph(input: $input) { namespace supergraphVersion } }`;
const WITH_WORK_ORDERS = `query($id: ID!) { complaint(id: $id) { title bimaPupr { workOrders { status } } } }`;

function startNode(port = 0): Promise<ServiceHandle> {
  return startBimaPuprSubgraph({ databaseUrl: hub.databases.urls.registry, poolMax: hub.databases.poolMax, gatewayJwksUrl: hub.jwksUrl, port });
}

/** A node subgraph of `namespace` with no data behind it, serving `sdl`: enough to be checked and composed. */
function startStubNode(namespace: string, sdl: string, port = 0): Promise<ServiceHandle> {
  return startNodeSubgraph({ namespace, typeDefs: parse(sdl), resolvers: {}, port, jwksUrl: hub.jwksUrl, createContext: () => ({}) });
}

/** Asks through the gateway until `done` holds for the answer, for at most `ms`. */
async function eventually(query: string, variables: Record<string, unknown>, token: string, done: (answer: any) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await hub.query(query, variables, token);
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const unknownField = (answer: any) => answer.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED';

async function servedVersion(token: string): Promise<number> {
  const { data, errors } = await hub.query(`{ supergraph { version } }`, {}, token);
  expect(errors).toBeUndefined();
  return data.supergraph.version;
}

beforeAll(async () => {
  hub = await TestHub.start();
  node = await startNode();
  nodePort = Number(new URL(node.url).port);
});
afterAll(async () => {
  await node?.stop();
  await hub?.stop();
});

describe('a node plugs its own subgraph into the hub', () => {
  it('publishes, is queried beside the national model, loses only its own fields when down, and is removed again', async () => {
    const admin = await hub.token('AGENCY_ADMIN', BIMA_PUPR_AGENCY_ID);
    const complaint = await submit(hub);
    await hub.sql('registry', `insert into bima_pupr.work_order (number, complaint_id, status, scheduled_for) values ($1, $2, 'SCHEDULED', '2026-12-03'), ($3, $2, 'OPEN', null)`, [
      'PUPR-2026-0042',
      complaint.id,
      'PUPR-2026-0043',
    ]);
    expect(unknownField(await hub.query(WITH_WORK_ORDERS, { id: complaint.id }, admin))).toBe(true);
    const before = await servedVersion(admin);

    const input = { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr', url: node.url, sdl: BIMA_SDL };
    const checked = await hub.query(CHECK, { input }, admin);
    expect(checked.data.checkNodeSubgraph).toEqual({ ok: true, errors: [], warnings: [] });
    expect(await servedVersion(admin)).toBe(before);

    const published = await hub.query(PUBLISH, { input }, admin);
    expect(published.errors).toBeUndefined();
    expect(published.data.publishNodeSubgraph).toMatchObject({ ok: true, errors: [], subgraph: { namespace: 'bimaPupr', version: 1 }, supergraphVersion: before + 1 });

    const answer = await eventually(WITH_WORK_ORDERS, { id: complaint.id }, admin, (candidate) => !candidate.errors);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.complaint).toEqual({ title: 'Jembatan desa ambruk', bimaPupr: { workOrders: [{ status: 'SCHEDULED' }, { status: 'OPEN' }] } });

    const registry = await hub.query(
      `{ agency(id: "${BIMA_PUPR_AGENCY_ID}") { name subgraph { namespace url version versions { version publishedBy publishedByRole } } }
         nodeSubgraphs(first: 10) { totalCount edges { node { namespace agency { name } } } }
         supergraph { version subgraphs { name } } }`,
      {},
      admin,
    );
    expect(registry.errors).toBeUndefined();
    expect(registry.data.agency).toEqual({
      name: 'Kabupaten Bima',
      subgraph: { namespace: 'bimaPupr', url: node.url, version: 1, versions: [{ version: 1, publishedBy: 'test-agency_admin', publishedByRole: 'AGENCY_ADMIN' }] },
    });
    expect(registry.data.nodeSubgraphs).toEqual({ totalCount: 1, edges: [{ node: { namespace: 'bimaPupr', agency: { name: 'Kabupaten Bima' } } }] });
    expect(registry.data.supergraph).toEqual({
      version: before + 1,
      subgraphs: ['agencies', 'bimaPupr', 'complaints', 'escalation', 'registry', 'webhooks'].map((name) => ({ name })),
    });

    // The node goes down: its own field fails alone, the hub's answer stands.
    await node.stop();
    try {
      const partial = await hub.query(WITH_WORK_ORDERS, { id: complaint.id }, admin);
      expect(partial.data.complaint).toEqual({ title: 'Jembatan desa ambruk', bimaPupr: null });
      expect(partial.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'bimaPupr' }) })]);
    } finally {
      node = await startNode(nodePort);
    }

    const removed = await hub.query(REMOVE, { input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr' } }, admin);
    expect(removed.data.removeNodeSubgraph).toEqual({ namespace: 'bimaPupr', supergraphVersion: before + 2 });
    expect(unknownField(await eventually(WITH_WORK_ORDERS, { id: complaint.id }, admin, unknownField))).toBe(true);
    const [history] = await hub.sql<{ versions: number }>('registry', `select count(*)::int as versions from registry.subgraph_version where subgraph_name = 'bimaPupr'`);
    expect(history.versions).toBe(1);
  });
});

describe('the registry refuses', () => {
  let national: string;
  let admin: string;
  const input = () => ({ agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr', url: node.url, sdl: BIMA_SDL });

  beforeAll(async () => {
    national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
    admin = await hub.token('AGENCY_ADMIN', BIMA_PUPR_AGENCY_ID);
  });

  /** Publishes `overrides` on the example's input; expects a refusal with `code` and the served supergraph unchanged. */
  async function refusedWith(code: string, overrides: Record<string, unknown>) {
    const before = await servedVersion(national);
    const { data, errors } = await hub.query(PUBLISH, { input: { ...input(), ...overrides } }, admin);
    expect(errors).toBeUndefined();
    expect(data.publishNodeSubgraph.ok).toBe(false);
    expect(data.publishNodeSubgraph.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code })]));
    expect(data.publishNodeSubgraph.supergraphVersion).toBe(before);
    expect(await servedVersion(national)).toBe(before);
    return data.publishNodeSubgraph;
  }

  it('a candidate that does not compose', async () => {
    // `Complaint.id` as a String: the namespace is kept, but the hub's key field is an ID.
    await refusedWith('COMPOSITION_FAILED', { sdl: BIMA_SDL.replace('type Complaint @key(fields: "id") {\n  id: ID!', 'type Complaint @key(fields: "id") {\n  id: String!') });
  });

  it('a candidate outside its namespace', async () => {
    const result = await refusedWith('NAMESPACE_VIOLATION', {
      sdl: `${BIMA_SDL}\ntype WorkOrder { number: String! }\nextend type Query { workOrders: [WorkOrder!] }\nextend type Complaint { escalationNote: String }\n`,
    });
    expect(result.errors.map((error: { message: string }) => error.message)).toEqual(
      expect.arrayContaining([
        'Type WorkOrder does not start with BimaPupr',
        'Query.workOrders does not start with the namespace bimaPupr',
        'Complaint.escalationNote: a node adds one field to Complaint, named after its namespace (Complaint.bimaPupr)',
      ]),
    );
    await refusedWith('NAMESPACE_VIOLATION', { sdl: BIMA_SDL.replace('import: ["@key"]', 'import: ["@key", "@shareable"]') });
  });

  it('a candidate whose URL serves another SDL', async () => {
    await refusedWith('SDL_MISMATCH', { sdl: BIMA_SDL.replace('  complaintId: ID!\n', '  complaintId: ID!\n  crew: String\n') });
  });

  it('a URL that does not answer', async () => {
    const result = await refusedWith('URL_UNREACHABLE', { url: 'http://127.0.0.1:9/graphql' });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'URL_UNREACHABLE' })]);
  });

  it('a URL whose host is or resolves to a loopback, private or link-local address, unless SUBGRAPH_ALLOW_PRIVATE_URLS', async () => {
    // A registry beside the hub's, on its database, as one started without SUBGRAPH_ALLOW_PRIVATE_URLS would be.
    const strict = await startRegistryService({
      databaseUrl: hub.databases.urls.registry,
      poolMax: hub.databases.poolMax,
      secrets: hub.serviceSecrets,
      // The hub's URLs, its own registry's included: what it records at start changes no version.
      hubSubgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])) as Record<SubgraphName, string>,
      allowPrivateUrls: false,
      signCredential: gatewayCredentialSigner(hub.secrets.gatewayKeys),
    });
    const viewer: Viewer = { kind: 'officer', sub: 'test-agency_admin', role: 'AGENCY_ADMIN', agencyId: BIMA_PUPR_AGENCY_ID };
    try {
      const port = new URL(node.url).port;
      for (const url of [`http://localhost:${port}/graphql`, node.url, `http://0x7f000001:${port}/graphql`, `http://[::1]:${port}/graphql`, 'http://169.254.169.254/graphql', 'http://[::ffff:10.0.0.1]/graphql']) {
        const body = graphQLBody(CHECK, { input: { ...input(), url } });
        const credential = await hub.credential('registry', viewer, body);
        const { data, errors } = await postGraphQL(strict.url, CHECK, { input: { ...input(), url } }, { [GATEWAY_CREDENTIAL_HEADER]: credential });
        expect([url, errors, data.checkNodeSubgraph]).toEqual([url, undefined, { ok: false, errors: [{ code: 'PRIVATE_URL', message: expect.stringContaining('the hub does not allow those') }], warnings: [] }]);
      }
    } finally {
      await strict.stop();
    }
  });

  it('a breaking change without allowBreakingChanges, and takes it with', async () => {
    const v1 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { bimaDemoOrders: [String!] bimaDemoCount: Int }`;
    const v2 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { bimaDemoOrders: [String!] }`;
    const demo = { agencyId: 'region-52.04', namespace: 'bimaDemo' };
    let stub = await startStubNode('bimaDemo', v1);
    const port = Number(new URL(stub.url).port);
    try {
      const first = await hub.query(PUBLISH, { input: { ...demo, url: stub.url, sdl: v1 } }, national);
      expect(first.data.publishNodeSubgraph).toMatchObject({ ok: true, subgraph: { version: 1 } });
      await stub.stop();
      stub = await startStubNode('bimaDemo', v2, port);
      const before = await servedVersion(national);
      const refused = await hub.query(PUBLISH, { input: { ...demo, url: stub.url, sdl: v2 } }, national);
      expect(refused.data.publishNodeSubgraph).toMatchObject({
        ok: false,
        errors: [{ code: 'BREAKING_CHANGE', message: expect.stringContaining('bimaDemoCount') }],
        subgraph: { version: 1 },
        supergraphVersion: before,
      });
      const allowed = await hub.query(PUBLISH, { input: { ...demo, url: stub.url, sdl: v2, allowBreakingChanges: true } }, national);
      expect(allowed.data.publishNodeSubgraph).toMatchObject({
        ok: true,
        errors: [],
        warnings: [{ code: 'BREAKING_CHANGE', message: expect.stringContaining('bimaDemoCount') }],
        subgraph: { version: 2 },
        supergraphVersion: before + 1,
      });
      const removed = await hub.query(REMOVE, { input: demo }, national);
      expect(removed.errors).toBeUndefined();
    } finally {
      await stub.stop();
    }
  });

  it('callers other than the national admin and the node’s own admin, and another node’s namespace: FORBIDDEN', async () => {
    for (const token of [await hub.token('AGENCY_ADMIN', 'region-52.04'), await hub.token('LIAISON_OFFICER', BIMA_PUPR_AGENCY_ID)]) {
      for (const [mutation, variables] of [
        [CHECK, { input: input() }],
        [PUBLISH, { input: input() }],
        [REMOVE, { input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaPupr' } }],
      ] as const) {
        const { data, errors } = await hub.query(mutation, variables, token);
        expect(data).toBeNull();
        expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      }
    }
    // bimaPupr is Kabupaten Bima's (published in the story above, then removed): no other node takes it.
    const taken = await hub.query(CHECK, { input: { ...input(), agencyId: 'region-52.04' } }, national);
    expect(taken.errors).toEqual([expect.objectContaining({ message: 'The namespace bimaPupr belongs to another node', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    const anonymous = await hub.query(CHECK, { input: input() });
    expect(anonymous.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
  });

  it('an unknown agency or namespace: NOT_FOUND', async () => {
    const unknownAgency = await hub.query(CHECK, { input: { ...input(), agencyId: 'region-99.99' } }, national);
    expect(unknownAgency.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    const unknownNamespace = await hub.query(REMOVE, { input: { agencyId: BIMA_PUPR_AGENCY_ID, namespace: 'bimaNothing' } }, admin);
    expect(unknownNamespace.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });

  it('a malformed namespace, URL or SDL: BAD_USER_INPUT naming the field', async () => {
    for (const [overrides, field] of [
      [{ namespace: 'Bima-PUPR' }, 'input.namespace'],
      [{ url: 'ftp://bima.example/graphql' }, 'input.url'],
      [{ url: 'not a url' }, 'input.url'],
      [{ sdl: 'type BimaPuprWorkOrder {' }, 'input.sdl'],
    ] as const) {
      const { errors } = await hub.query(PUBLISH, { input: { ...input(), ...overrides } }, admin);
      expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
    }
  });
});

describe('npm run subgraph', () => {
  const root = path.resolve(__dirname, '..');

  /** Runs the CLI against this hub's gateway as `token`; its exit code and what it printed. */
  function cli(args: string[], token: string): Promise<{ code: number; output: string }> {
    const env = { ...process.env, HUB: new URL(hub.gateway.url).origin, LAPOR_TOKEN: token };
    return new Promise((resolve) => {
      execFile(path.join(root, 'node_modules/.bin/tsx'), ['scripts/subgraph/main.ts', ...args], { cwd: root, env }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      });
    });
  }

  it('prints the checks, publishes and removes, with an exit status a pipeline can use', async () => {
    const admin = await hub.token('AGENCY_ADMIN', BIMA_PUPR_AGENCY_ID);
    const directory = mkdtempSync(path.join(os.tmpdir(), 'lapor-subgraph-'));
    const outside = path.join(directory, 'outside.graphql');
    writeFileSync(outside, `${BIMA_SDL}\ntype WorkOrder { number: String! }\n`);
    const common = ['--agency', BIMA_PUPR_AGENCY_ID, '--namespace', 'bimaPupr'];

    const refused = await cli(['check', ...common, '--url', node.url, '--schema', outside], admin);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('✖ check bimaPupr (region-52.06) refused (2 errors, 0 warnings)');
    expect(refused.output).toContain('  ✖ [NAMESPACE_VIOLATION] Type WorkOrder does not start with BimaPupr');
    expect(refused.output).toContain('  ✖ [SDL_MISMATCH]');

    const published = await cli(['publish', ...common, '--url', node.url, '--schema', BIMA_PUPR_SDL_PATH], admin);
    expect(published).toEqual({ code: 0, output: expect.stringMatching(/^✔ published bimaPupr \(region-52\.06\) version 2 \(0 errors, 0 warnings\); the hub now serves supergraph version \d+\n$/) });

    const removed = await cli(['remove', ...common], admin);
    expect(removed).toEqual({ code: 0, output: expect.stringMatching(/^✔ removed bimaPupr \(region-52\.06\); the hub now serves supergraph version \d+\n$/) });

    const forbidden = await cli(['remove', ...common], await hub.token('AGENCY_ADMIN', 'region-52.04'));
    expect(forbidden).toEqual({ code: 1, output: expect.stringContaining('✖ remove bimaPupr (region-52.06): FORBIDDEN: ') });
  });
});
