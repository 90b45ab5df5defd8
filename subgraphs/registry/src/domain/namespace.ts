import { Kind, visit, type ConstDirectiveNode, type DefinitionNode, type DocumentNode, type FieldDefinitionNode, type TypeNode } from 'graphql';
import type { CheckMessage } from './messages';

/** A node subgraph's namespace: lowerCamel, 3 to 31 characters. */
export const NAMESPACE_PATTERN = /^[a-z][a-zA-Z0-9]{2,30}$/;

/** The hub's entities a node may extend, each with one field named after its namespace. */
export const HUB_ENTITIES = ['Complaint', 'Agency', 'Escalation'] as const;

/** Directives that would let a node take over, hide or depend on what the hub or another node owns. */
export const FORBIDDEN_DIRECTIVES = ['override', 'shareable', 'requires', 'provides', 'inaccessible'] as const;

const ROOT_TYPES = new Set(['Query', 'Mutation']);
const TYPE_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.UNION_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
]);

type NamedDefinition = Extract<DefinitionNode, { name: { value: string } }> & { fields?: readonly unknown[] };

/** `bimaPupr` → `BimaPupr`: the prefix of every type a node defines. */
export function typePrefix(namespace: string): string {
  return namespace.charAt(0).toUpperCase() + namespace.slice(1);
}

/** Another subgraph of the supergraph, whose types the candidate must not redefine. */
export interface OwnedSchema {
  name: string;
  document: DocumentNode;
}

/** Which subgraph defines each type, leaving out the root types and the hub's entities (which nodes extend). */
function typeOwners(others: readonly OwnedSchema[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const other of others) {
    for (const definition of other.document.definitions) {
      if (!TYPE_KINDS.has(definition.kind)) continue;
      const name = (definition as NamedDefinition).name.value;
      if (ROOT_TYPES.has(name) || (HUB_ENTITIES as readonly string[]).includes(name) || owners.has(name)) continue;
      owners.set(name, other.name);
    }
  }
  return owners;
}

const violation = (message: string): CheckMessage => ({ code: 'NAMESPACE_VIOLATION', message });

function isNonNull(type: TypeNode): boolean {
  return type.kind === Kind.NON_NULL_TYPE;
}

function federationName(directive: string): string {
  return directive.replace(/^@/, '').replace(/^federation__/, '');
}

/** The forbidden directives a schema uses, imports through `@link` (renamed or not) or applies. */
function forbiddenDirectives(document: DocumentNode): string[] {
  const found = new Set<string>();
  const forbidden = (name: string) => (FORBIDDEN_DIRECTIVES as readonly string[]).includes(federationName(name));
  visit(document, {
    Directive(node) {
      if (forbidden(node.name.value)) found.add(federationName(node.name.value));
      if (node.name.value !== 'link') return;
      const imports = node.arguments?.find((argument) => argument.name.value === 'import')?.value;
      if (imports?.kind !== Kind.LIST) return;
      for (const entry of imports.values) {
        if (entry.kind === Kind.STRING && forbidden(entry.value)) found.add(federationName(entry.value));
        if (entry.kind !== Kind.OBJECT) continue;
        const name = entry.fields.find((field) => field.name.value === 'name')?.value;
        if (name?.kind === Kind.STRING && forbidden(name.value)) found.add(federationName(name.value));
      }
    },
  });
  return [...found].sort();
}

function keyFields(directives: readonly ConstDirectiveNode[] | undefined): string[] {
  return (directives ?? [])
    .filter((directive) => directive.name.value === 'key')
    .map((directive) => {
      const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
      return fields?.kind === Kind.STRING ? fields.value.trim() : '';
    });
}

/** A hub entity as a node may write it: `@key(fields: "id")`, `id: ID!`, and one nullable field named after the namespace. */
function entityViolations(namespace: string, definition: NamedDefinition): CheckMessage[] {
  const name = definition.name.value;
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) {
    return [violation(`${name} is the hub's entity: reference it as an object type with @key(fields: "id")`)];
  }
  const messages: CheckMessage[] = [];
  const keys = keyFields(definition.directives);
  if (keys.length !== 1 || keys[0] !== 'id') messages.push(violation(`${name} is the hub's entity: reference it with @key(fields: "id") only`));
  for (const field of (definition.fields ?? []) as FieldDefinitionNode[]) {
    if (field.name.value === 'id') continue;
    if (field.name.value !== namespace) {
      messages.push(violation(`${name}.${field.name.value}: a node adds one field to ${name}, named after its namespace (${name}.${namespace})`));
    } else if (isNonNull(field.type)) {
      messages.push({ code: 'NON_NULL_FIELD', message: `${name}.${namespace} must be nullable, so that the node being down costs only this field` });
    }
  }
  return messages;
}

/** Root fields start with the namespace; query fields are nullable, so a node being down costs only its own fields. */
function rootFieldViolations(namespace: string, definition: NamedDefinition): CheckMessage[] {
  const type = definition.name.value;
  const messages: CheckMessage[] = [];
  for (const field of (definition.fields ?? []) as FieldDefinitionNode[]) {
    if (!field.name.value.startsWith(namespace)) {
      messages.push(violation(`${type}.${field.name.value} does not start with the namespace ${namespace}`));
    } else if (type === 'Query' && isNonNull(field.type)) {
      messages.push({ code: 'NON_NULL_FIELD', message: `Query.${field.name.value} must be nullable, so that the node being down costs only this field` });
    }
  }
  return messages;
}

/**
 * The namespace rules of DESIGN.md ("Nodes plug in their own subgraphs") for one node's SDL: every
 * type it defines starts with the PascalCase namespace; a hub entity is referenced by `@key` only
 * and gains one field, the namespace itself; root fields start with the namespace; no
 * `@override`, `@shareable`, `@requires`, `@provides` or `@inaccessible`; nothing the hub or
 * another node defines is redefined.
 */
export function namespaceViolations(namespace: string, document: DocumentNode, others: readonly OwnedSchema[]): CheckMessage[] {
  const prefix = typePrefix(namespace);
  const owners = typeOwners(others);
  const messages: CheckMessage[] = forbiddenDirectives(document).map((directive) =>
    violation(`@${directive} is not allowed in a node's subgraph`),
  );
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      if (definition.operationTypes?.length) messages.push(violation('A node subgraph keeps the root types Query and Mutation; it may not rename them'));
      continue;
    }
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      if (!definition.name.value.startsWith(namespace)) messages.push(violation(`Directive @${definition.name.value} does not start with the namespace ${namespace}`));
      continue;
    }
    if (!TYPE_KINDS.has(definition.kind)) continue;
    const named = definition as NamedDefinition;
    const name = named.name.value;
    if (name === 'Subscription') {
      messages.push(violation('The hub serves no subscriptions'));
    } else if (ROOT_TYPES.has(name)) {
      messages.push(...rootFieldViolations(namespace, named));
    } else if ((HUB_ENTITIES as readonly string[]).includes(name)) {
      messages.push(...entityViolations(namespace, named));
    } else if (owners.has(name)) {
      messages.push(violation(`${name} belongs to ${owners.get(name)}; a node may not redefine it`));
    } else if (!name.startsWith(prefix)) {
      messages.push(violation(`Type ${name} does not start with ${prefix}`));
    }
  }
  return messages;
}
