import { versionFindings, sdlMismatches } from '../src/domain/changes';
import { compose } from '../src/domain/composition';
import { isSubgraphUrl } from '../src/domain/url';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const V1 = `${LINK} enum BimaPuprStatus { OPEN DONE } type BimaPuprOrder { number: String! status: BimaPuprStatus! } type Query { bimaPuprOrders(status: BimaPuprStatus): [BimaPuprOrder!] }`;

describe('breaking changes against the previous version', () => {
  it('refuses a removed field unless allowed, then reports it as a warning', async () => {
    const v2 = V1.replace(' status: BimaPuprStatus! }', ' }');
    expect(await versionFindings(V1, v2, false)).toEqual({
      errors: [{ code: 'BREAKING_CHANGE', message: expect.stringContaining("'status' was removed from object type 'BimaPuprOrder'") }],
      warnings: [],
    });
    expect(await versionFindings(V1, v2, true)).toEqual({ errors: [], warnings: [{ code: 'BREAKING_CHANGE', message: expect.stringContaining('status') }] });
  });

  it('reports a new enum value as dangerous and lets an added field through', async () => {
    const v2 = V1.replace('OPEN DONE', 'OPEN SCHEDULED DONE').replace(' status: BimaPuprStatus! }', ' status: BimaPuprStatus! crew: String }');
    expect(await versionFindings(V1, v2, false)).toEqual({ errors: [], warnings: [{ code: 'DANGEROUS_CHANGE', message: expect.stringContaining('SCHEDULED') }] });
  });

  it('finds no difference between one schema printed two ways', async () => {
    const reprinted = `${LINK}\n\ntype Query {\n  bimaPuprOrders(status: BimaPuprStatus): [BimaPuprOrder!]\n}\n\ntype BimaPuprOrder {\n  number: String!\n  status: BimaPuprStatus!\n}\n\nenum BimaPuprStatus {\n  OPEN\n  DONE\n}\n`;
    expect(await sdlMismatches(V1, reprinted)).toEqual([]);
    expect(await sdlMismatches(V1, V1.replace('OPEN DONE', 'OPEN'))).toHaveLength(1);
  });
});

describe('composition', () => {
  it('composes Federation 2 subgraphs and names every error of those that do not', () => {
    const hub = { name: 'complaints', url: 'http://complaints/graphql', sdl: `${LINK} type Complaint @key(fields: "id") { id: ID! title: String! } type Query { complaint(id: ID!): Complaint }` };
    const node = { name: 'bimaPupr', url: 'http://node/graphql', sdl: `${LINK} type Complaint @key(fields: "id") { id: ID! bimaPupr: String }` };
    expect(compose([hub, node]).supergraphSdl).toContain('join__graph(name: "bimaPupr", url: "http://node/graphql")');
    const clash = { ...node, sdl: `${LINK} type Complaint @key(fields: "id") { id: String! bimaPupr: String }` };
    expect(compose([hub, clash]).errors).toEqual([expect.stringContaining('Complaint.id')]);
  });
});

describe('a node subgraph URL', () => {
  // Where it may point (loopback, private, link-local...) is lib's url-policy: lib/test/url-policy.test.ts.
  it('is absolute http(s) without credentials', () => {
    expect(isSubgraphUrl('https://pupr.bimakab.go.id/graphql')).toBe(true);
    expect(isSubgraphUrl('http://127.0.0.1:4101/graphql')).toBe(true);
    for (const bad of ['ftp://pupr.bimakab.go.id/graphql', 'pupr.bimakab.go.id/graphql', 'https://user:secret@pupr.bimakab.go.id/graphql', 'javascript:alert(1)']) {
      expect(isSubgraphUrl(bad)).toBe(false);
    }
  });
});
