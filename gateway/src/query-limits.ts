import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ParseOptions, ValidationRule } from 'graphql';

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
   * graphql-armor's static cost: 1 per scalar field, 2 per object field, a literal `first`/`last`
   * multiplying the cost of its selection (introspection's `__schema` is free). Roughly the number
   * of values an answer may hold.
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
 * The limits as Apollo Server options. Depth, aliases, directives and cost are graphql-armor's
 * validation rules (refused as `GRAPHQL_VALIDATION_FAILED`). The token limit is graphql-js's own
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
    costLimit: { maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, flattenFragments: true, ignoreIntrospection: true },
    maxTokens: { enabled: false },
    // Suggestions are hidden in production by Apollo Server's `hideSchemaDetailsFromClientErrors`
    // and the gateway's formatError, which also cover the "Did you mean" of variable coercion.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { validationRules, plugins, parseOptions: { maxTokens: limits.maxTokens } };
}

/** Removes a "Did you mean …?" suggestion, which names parts of the schema, from an error message. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}
