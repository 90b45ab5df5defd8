import { parse } from 'graphql';
import { NAMESPACE_PATTERN, namespaceViolations, typePrefix } from '../src/domain/namespace';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const HUB = [
  { name: 'complaints', document: parse(`${LINK} scalar DateTime type Complaint @key(fields: "id") { id: ID! title: String! } type Query { complaint(id: ID!): Complaint }`) },
  { name: 'otherNode', document: parse(`${LINK} type OtherNodeThing { id: ID! } type BimaPuprShared { id: ID! }`) },
];
const messages = (sdl: string) => namespaceViolations('bimaPupr', parse(`${LINK}\n${sdl}`), HUB).map((found) => `${found.code}: ${found.message}`);

describe('the namespace of a node subgraph', () => {
  it('is lowerCamel, 3 to 31 letters and digits', () => {
    for (const good of ['bimaPupr', 'kemenkes', 'dki2', 'abc']) expect(NAMESPACE_PATTERN.test(good)).toBe(true);
    for (const bad of ['ab', 'BimaPupr', 'bima-pupr', 'bima_pupr', '2bima', `a${'b'.repeat(31)}`]) expect(NAMESPACE_PATTERN.test(bad)).toBe(false);
    expect(typePrefix('bimaPupr')).toBe('BimaPupr');
  });

  it('lets through a subgraph that keeps every rule', () => {
    expect(
      messages(`
        type BimaPuprWorkOrder { number: String! }
        enum BimaPuprStatus { OPEN }
        input BimaPuprFilter { status: BimaPuprStatus }
        type BimaPuprComplaint { workOrders: [BimaPuprWorkOrder!]! }
        type Complaint @key(fields: "id") { id: ID! bimaPupr: BimaPuprComplaint }
        extend type Agency @key(fields: "id") { id: ID! bimaPupr: BimaPuprComplaint }
        type Query { bimaPuprWorkOrders(filter: BimaPuprFilter): [BimaPuprWorkOrder!] }
        type Mutation { bimaPuprClose(number: String!): BimaPuprWorkOrder! }`),
    ).toEqual([]);
  });

  it('refuses types outside the PascalCase namespace and redefinitions of what others own', () => {
    expect(messages('type WorkOrder { id: ID! } scalar DateTime type BimaPuprShared { id: ID! } type OtherNodeThing { id: ID! }')).toEqual([
      'NAMESPACE_VIOLATION: Type WorkOrder does not start with BimaPupr',
      'NAMESPACE_VIOLATION: DateTime belongs to complaints; a node may not redefine it',
      'NAMESPACE_VIOLATION: BimaPuprShared belongs to otherNode; a node may not redefine it',
      'NAMESPACE_VIOLATION: OtherNodeThing belongs to otherNode; a node may not redefine it',
    ]);
  });

  it('lets a hub entity gain one nullable field named after the namespace, referenced by @key(fields: "id") only', () => {
    expect(messages('type Complaint @key(fields: "id") { id: ID! title: String bimaPupr: String }')).toEqual([
      'NAMESPACE_VIOLATION: Complaint.title: a node adds one field to Complaint, named after its namespace (Complaint.bimaPupr)',
    ]);
    expect(messages('type Escalation { id: ID! bimaPupr: String }')).toEqual([
      'NAMESPACE_VIOLATION: Escalation is the hub\'s entity: reference it with @key(fields: "id") only',
    ]);
    expect(messages('type Agency @key(fields: "regionCode") { regionCode: String bimaPupr: String }')[0]).toBe(
      'NAMESPACE_VIOLATION: Agency is the hub\'s entity: reference it with @key(fields: "id") only',
    );
    expect(messages('type Complaint @key(fields: "id") { id: ID! bimaPupr: String! }')).toEqual([
      'NON_NULL_FIELD: Complaint.bimaPupr must be nullable, so that the node being down costs only this field',
    ]);
    expect(messages('interface Complaint { id: ID! }')).toEqual([
      'NAMESPACE_VIOLATION: Complaint is the hub\'s entity: reference it as an object type with @key(fields: "id")',
    ]);
  });

  it('keeps root fields under the namespace, query fields nullable, and no subscriptions', () => {
    expect(messages('type Query { workOrders: [String] bimaPuprCount: Int! } type Mutation { closeOrder: Boolean } type Subscription { bimaPuprOrders: String }')).toEqual([
      'NAMESPACE_VIOLATION: Query.workOrders does not start with the namespace bimaPupr',
      'NON_NULL_FIELD: Query.bimaPuprCount must be nullable, so that the node being down costs only this field',
      'NAMESPACE_VIOLATION: Mutation.closeOrder does not start with the namespace bimaPupr',
      'NAMESPACE_VIOLATION: The hub serves no subscriptions',
    ]);
    expect(messages('schema { query: BimaPuprQuery } type BimaPuprQuery { bimaPuprX: Int }')).toEqual([
      'NAMESPACE_VIOLATION: A node subgraph keeps the root types Query and Mutation; it may not rename them',
    ]);
  });

  it.each(['override', 'shareable', 'requires', 'provides', 'inaccessible'])('refuses @%s, imported, renamed or namespaced', (directive) => {
    const refused = [`NAMESPACE_VIOLATION: @${directive} is not allowed in a node's subgraph`];
    const imported = namespaceViolations('bimaPupr', parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@${directive}"]) type BimaPuprX { id: ID }`), HUB);
    expect(imported.map((found) => `${found.code}: ${found.message}`)).toEqual(refused);
    const renamed = namespaceViolations(
      'bimaPupr',
      parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@${directive}", as: "@bimaPuprMine" }]) type BimaPuprX { id: ID }`),
      HUB,
    );
    expect(renamed.map((found) => `${found.code}: ${found.message}`)).toEqual(refused);
    expect(messages(`type BimaPuprX @federation__${directive} { id: ID }`)).toEqual(refused);
  });

  it('refuses directive definitions outside the namespace', () => {
    expect(messages('directive @audit on FIELD_DEFINITION directive @bimaPuprAudit on FIELD_DEFINITION')).toEqual([
      'NAMESPACE_VIOLATION: Directive @audit does not start with the namespace bimaPupr',
    ]);
  });
});
