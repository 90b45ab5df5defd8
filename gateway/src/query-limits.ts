import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/**
 * Static limits on every GraphQL document the gateway accepts, checked before any query plan or
 * subgraph fetch. A document over a limit is refused as a whole with HTTP 400.
 */
export interface QueryLimits {
  /** Deepest field nesting; fragments do not add a level, and introspection's `__schema` is not counted. */
  maxDepth: number;
  /** Aliased fields in the operation (with its fragments); `__typename` aliases are free. */
  maxAliases: number;
  /** Lexical tokens in the document, counted while parsing, so a huge document is dropped early. */
  maxTokens: number;
  /** Directives used in the operation (with its fragments). */
  maxDirectives: number;
  /**
   * The cost of the operation run: 1 per scalar field, 2 per object field, `first`/`last`
   * multiplying the cost of its selection however it arrives (a literal, a variable, a variable's
   * default), introspection's `__schema` free. Roughly the number of values an answer may hold.
   */
  maxCost: number;
}

/**
 * Defaults measured against the hub's own queries: the CSV export's inbox page (`first: 100`,
 * both connections, ~35 fields) costs ~7,600 and nests 6 deep; an inbox page of 100 with a dozen
 * fields ~2,400; the national dashboard 36; a full introspection query ~200 tokens.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 10_000,
};

export interface QueryLimitProtection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<any>[];
  parseOptions: ParseOptions;
}

/**
 * The limits as Apollo Server options. Depth, aliases and directives are graphql-armor's
 * validation rules (refused as `GRAPHQL_VALIDATION_FAILED`). The cost is counted once the
 * operation and its variables are known (`costLimitPlugin`): armor's cost rule runs during
 * validation, which sees no variable, so `first: $n` counted as 1 whatever `$n` was. The token limit is graphql-js's own
 * `parse(…, { maxTokens })`, the same lexer count as armor's max-tokens but inside Apollo Server's
 * parse step, so that it is refused as `GRAPHQL_PARSE_FAILED` with HTTP 400: armor's Apollo
 * max-tokens plugin throws from `parsingDidStart`, outside that step, which Apollo Server 5
 * answers as an internal error (HTTP 500).
 */
export function queryLimitProtection(limits: QueryLimits): QueryLimitProtection {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // Suggestions are hidden in production by Apollo Server's `hideSchemaDetailsFromClientErrors`
    // and the gateway's formatError, which also cover the "Did you mean" of variable coercion.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { validationRules, plugins: [...plugins, costLimitPlugin(limits.maxCost)], parseOptions: { maxTokens: limits.maxTokens } };
}

const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * What `operation` costs with these variables (see `QueryLimits.maxCost`): the numbers are
 * graphql-armor's (fragments flattened, each spread once more per use), with the page size read
 * from a literal, a variable or the variable's default.
 */
export function operationCost(operation: OperationDefinitionNode, document: DocumentNode, variables: Record<string, unknown> = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const integer = (value: ValueNode): number | undefined => {
    if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value.kind !== Kind.VARIABLE) return undefined;
    const given = variables[value.name.value];
    if (given !== undefined && given !== null) return typeof given === 'number' && Number.isInteger(given) ? given : undefined;
    const fallback = defaults.get(value.name.value);
    return fallback ? integer(fallback) : undefined;
  };
  const pageSize = (field: FieldNode) =>
    Math.max(1, ...(field.arguments ?? []).filter((arg) => arg.name.value === 'first' || arg.name.value === 'last').map((arg) => integer(arg.value) ?? 1));
  const fragmentCosts = new Map<string, number>();
  const selectionsCost = (selectionSet: SelectionSetNode): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema') continue;
        cost += selection.selectionSet ? (OBJECT_COST + selectionsCost(selection.selectionSet)) * pageSize(selection) : SCALAR_COST;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += OBJECT_COST + selectionsCost(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation has refused cycles; the guard only keeps a bug from recursing forever.
        if (!fragmentCosts.has(name)) {
          fragmentCosts.set(name, 0);
          fragmentCosts.set(name, fragment ? OBJECT_COST + selectionsCost(fragment.selectionSet) : 0);
        }
        cost += SCALAR_COST + fragmentCosts.get(name)!;
      }
    }
    return cost;
  };
  return selectionsCost(operation.selectionSet);
}

/** Refuses an operation whose cost with its variables is over `maxCost`, before any query plan. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const cost = operationCost(operation, document, request.variables ?? {});
          if (cost > maxCost) {
            throw new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Removes a "Did you mean …?" suggestion, which names parts of the schema, from an error message. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}
