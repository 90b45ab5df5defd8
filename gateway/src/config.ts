import type { GatewayOptions } from './server';

/** Submissions per client per minute when `SUBMIT_RATE_LIMIT_PER_MINUTE` is not set. */
export const DEFAULT_SUBMIT_RATE_LIMIT_PER_MINUTE = 30;

type AbuseOptions = Pick<GatewayOptions, 'queryLimits' | 'maxBodyBytes' | 'submitRateLimit' | 'trustProxy'>;

function positiveInteger(env: NodeJS.ProcessEnv, name: string, allowZero = false): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, not "${raw}"`);
  }
  return value;
}

/** `TRUST_PROXY`: `true`/`false`, a hop count, or what Express takes as a string (`loopback`, subnets). */
export function trustProxyFromEnv(raw: string | undefined): GatewayOptions['trustProxy'] {
  const value = raw?.trim();
  if (!value) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * The gateway's abuse limits from the environment: `GRAPHQL_MAX_DEPTH`, `GRAPHQL_MAX_ALIASES`,
 * `GRAPHQL_MAX_TOKENS`, `GRAPHQL_MAX_DIRECTIVES`, `GRAPHQL_MAX_COST`, `MAX_BODY_BYTES`,
 * `SUBMIT_RATE_LIMIT_PER_MINUTE` (default 30; `0` turns it off), `SUBMIT_RATE_LIMIT_BURST` and
 * `TRUST_PROXY`. Production mode follows `NODE_ENV`.
 */
export function abuseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AbuseOptions {
  const perMinute = positiveInteger(env, 'SUBMIT_RATE_LIMIT_PER_MINUTE', true) ?? DEFAULT_SUBMIT_RATE_LIMIT_PER_MINUTE;
  return {
    queryLimits: {
      maxDepth: positiveInteger(env, 'GRAPHQL_MAX_DEPTH'),
      maxAliases: positiveInteger(env, 'GRAPHQL_MAX_ALIASES', true),
      maxTokens: positiveInteger(env, 'GRAPHQL_MAX_TOKENS'),
      maxDirectives: positiveInteger(env, 'GRAPHQL_MAX_DIRECTIVES', true),
      maxCost: positiveInteger(env, 'GRAPHQL_MAX_COST'),
    },
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES'),
    submitRateLimit: perMinute > 0 ? { perMinute, burst: positiveInteger(env, 'SUBMIT_RATE_LIMIT_BURST') } : null,
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
  };
}

/**
 * How the gateway talks to the subgraphs: `GATEWAY_DEDUPLICATE_INFLIGHT` (`false` sends every
 * identical query fetch itself) and `SUBGRAPH_CONNECTIONS` (kept-alive connections per subgraph).
 */
export function subgraphTransportFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<GatewayOptions, 'deduplicateInflight' | 'subgraphConnections'> {
  const raw = env.GATEWAY_DEDUPLICATE_INFLIGHT?.trim();
  if (raw && raw !== 'true' && raw !== 'false') throw new Error(`GATEWAY_DEDUPLICATE_INFLIGHT must be true or false, not "${raw}"`);
  return { deduplicateInflight: raw !== 'false', subgraphConnections: positiveInteger(env, 'SUBGRAPH_CONNECTIONS') };
}
