import { z } from 'zod';
import path from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_TOKEN_POLICY, envBoolean, envInteger, parseEnv, supergraphSubgraphUrls, type TokenPolicy } from '@lapor-hub/lib';
import { DEFAULT_ATTACHMENT_MAX_BYTES, type AttachmentSettings } from './attachment-storage';
import type { GatewayOptions } from './server';
import type { RateLimitStore } from './submit-rate-limit';

/** Submissions per client per minute when `SUBMIT_RATE_LIMIT_PER_MINUTE` is not set. */
export const DEFAULT_SUBMIT_RATE_LIMIT_PER_MINUTE = 30;

/** Evidence uploads per client per minute when `ATTACHMENT_RATE_LIMIT_PER_MINUTE` is not set. */
export const DEFAULT_ATTACHMENT_RATE_LIMIT_PER_MINUTE = 30;

/** A whole number of at least `min`, or unset (the option's own default applies further in). */
const optionalInteger = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`))
    .optional();

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in seconds: `90` (seconds), `45m`, `12h`, `30d`. */
const envDuration = (fallbackSeconds: number) =>
  z
    .string()
    .trim()
    .regex(/^[1-9]\d*[smhd]?$/, 'must be a positive duration such as 3600, 45m, 12h or 30d')
    .transform((value) => Number(value.replace(/[smhd]$/, '')) * (DURATION_UNITS[value.at(-1)!] ?? 1))
    .default(fallbackSeconds);

/** `CORS_ORIGINS`: origins separated by commas, each `scheme://host[:port]` exactly as a browser sends it. */
const envOrigins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(z.array(z.string().refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, 'must list origins such as https://lapor.bima.go.id')))
  .default([]);

/** `TRUST_PROXY`: `true`/`false`, a hop count, or what Express takes as a string (`loopback`, subnets). */
export function trustProxyFromEnv(raw: string | undefined): GatewayOptions['trustProxy'] {
  const value = raw?.trim();
  if (!value) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Every variable the gateway reads, and what it means: README, "Configuration". Subgraph URLs
 * (`<NAME>_URL`) are added per subgraph of the supergraph by `gatewayEnvSchema`.
 */
const commonEnv = z.object({
  NODE_ENV: z.string().optional(),
  PORT: envInteger(4000, 0),
  HOST: z.string().trim().default('0.0.0.0'),
  GRAPHQL_MAX_DEPTH: optionalInteger(1),
  GRAPHQL_MAX_ALIASES: optionalInteger(0),
  GRAPHQL_MAX_TOKENS: optionalInteger(1),
  GRAPHQL_MAX_DIRECTIVES: optionalInteger(0),
  GRAPHQL_MAX_COST: optionalInteger(1),
  MAX_BODY_BYTES: optionalInteger(1),
  SUBMIT_RATE_LIMIT_PER_MINUTE: envInteger(DEFAULT_SUBMIT_RATE_LIMIT_PER_MINUTE, 0),
  SUBMIT_RATE_LIMIT_BURST: optionalInteger(1),
  TRUST_PROXY: z.string().optional(),
  GATEWAY_DEDUPLICATE_INFLIGHT: envBoolean(true),
  SUBGRAPH_CONNECTIONS: optionalInteger(1),
  JWT_MAX_LIFETIME_OFFICER: envDuration(DEFAULT_TOKEN_POLICY.maxOfficerLifetimeSeconds),
  JWT_MAX_LIFETIME_SYSTEM: envDuration(DEFAULT_TOKEN_POLICY.maxSystemLifetimeSeconds),
  CORS_ORIGINS: envOrigins,
  DATABASE_URL: z.string().trim().optional(),
  REDIS_URL: z.string().trim().optional(),
  JWT_ISSUER: z.string().trim().optional(),
  JWT_AUDIENCE: z.string().trim().optional(),
  SUPERGRAPH_SOURCE: z.enum(['registry', 'file'], 'must be registry or file').default('registry'),
  SUPERGRAPH_POLL_INTERVAL_MS: envInteger(2000, 100),
  NODE_SUBGRAPH_TIMEOUT_MS: optionalInteger(1),
  SUBGRAPH_ALLOW_PRIVATE_URLS: envBoolean(false),
  DATA_DIR: z.string().trim().default(DEFAULT_DATA_DIR),
  ATTACHMENT_MAX_BYTES: envInteger(DEFAULT_ATTACHMENT_MAX_BYTES, 1),
  ATTACHMENT_STORAGE: z.enum(['filesystem', 'postgres']).default('filesystem'),
  ATTACHMENT_RATE_LIMIT_PER_MINUTE: envInteger(DEFAULT_ATTACHMENT_RATE_LIMIT_PER_MINUTE, 0),
  ATTACHMENT_RATE_LIMIT_BURST: optionalInteger(1),
  ATTACHMENT_RATE_LIMIT_BYTES_PER_MINUTE: optionalInteger(1),
  ATTACHMENT_DECODE_CONCURRENCY: optionalInteger(1),
});

type CommonEnv = z.output<typeof commonEnv>;

/** The environment's schema for a gateway in front of `subgraphNames`: each may be moved by `<NAME>_URL`. */
export function gatewayEnvSchema(subgraphNames: readonly string[]) {
  return commonEnv.extend(Object.fromEntries(subgraphNames.map((name) => [subgraphUrlVariable(name), z.url('must be a URL').optional()])));
}

const subgraphUrlVariable = (name: string) => `${name.toUpperCase()}_URL`;

type AbuseOptions = Pick<GatewayOptions, 'queryLimits' | 'maxBodyBytes' | 'submitRateLimit' | 'attachmentRateLimit' | 'rateLimitStore' | 'trustProxy'>;

/** Redis when `REDIS_URL` is set, else PostgreSQL when `DATABASE_URL` is, else this process's memory. */
function rateLimitStore(env: CommonEnv): RateLimitStore | undefined {
  if (env.REDIS_URL) return { kind: 'redis', redisUrl: env.REDIS_URL };
  if (env.DATABASE_URL) return { kind: 'postgres', databaseUrl: env.DATABASE_URL };
  return undefined;
}
type TransportOptions = Pick<GatewayOptions, 'deduplicateInflight' | 'subgraphConnections'>;

function abuseOptions(env: CommonEnv): AbuseOptions {
  const perMinute = env.SUBMIT_RATE_LIMIT_PER_MINUTE;
  return {
    queryLimits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxCost: env.GRAPHQL_MAX_COST,
    },
    maxBodyBytes: env.MAX_BODY_BYTES,
    submitRateLimit: perMinute > 0 ? { perMinute, burst: env.SUBMIT_RATE_LIMIT_BURST } : null,
    attachmentRateLimit:
      env.ATTACHMENT_RATE_LIMIT_PER_MINUTE > 0
        ? {
            perMinute: env.ATTACHMENT_RATE_LIMIT_PER_MINUTE,
            burst: env.ATTACHMENT_RATE_LIMIT_BURST,
            // Ten files of the largest size a minute unless told otherwise.
            bytesPerMinute: env.ATTACHMENT_RATE_LIMIT_BYTES_PER_MINUTE ?? 10 * env.ATTACHMENT_MAX_BYTES,
          }
        : null,
    rateLimitStore: rateLimitStore(env),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
  };
}

function transportOptions(env: CommonEnv): TransportOptions {
  return { deduplicateInflight: env.GATEWAY_DEDUPLICATE_INFLIGHT, subgraphConnections: env.SUBGRAPH_CONNECTIONS };
}

/** What the environment says of a gateway: everything it is started with but its secrets and supergraph. */
export type GatewayConfig = Omit<GatewayOptions, 'secrets' | 'supergraphSdl'> &
  Required<Pick<GatewayOptions, 'port' | 'host' | 'production' | 'subgraphUrls'>>;

/**
 * The gateway's configuration, read once at start: one validated schema over the environment
 * (every invalid variable named in one error). The subgraphs are those of `supergraphSdl`; each
 * answers at the URL written there unless `<NAME>_URL` moves it. The supergraph served is the
 * registry's (at `REGISTRY_URL`, asked every `SUPERGRAPH_POLL_INTERVAL_MS`) unless
 * `SUPERGRAPH_SOURCE=file` keeps `supergraphSdl` itself (the hub's own subgraphs, no node's).
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv, supergraphSdl: string): GatewayConfig {
  const names = Object.keys(supergraphSubgraphUrls(supergraphSdl));
  const parsed = parseEnv(gatewayEnvSchema(names), env) as CommonEnv & Record<string, string | undefined>;
  const registryUrl = parsed[subgraphUrlVariable('registry')] ?? supergraphSubgraphUrls(supergraphSdl).registry;
  return {
    ...(parsed.SUPERGRAPH_SOURCE === 'registry' ? { registry: { url: registryUrl, pollIntervalMs: parsed.SUPERGRAPH_POLL_INTERVAL_MS } } : {}),
    nodeSubgraphTimeoutMs: parsed.NODE_SUBGRAPH_TIMEOUT_MS,
    allowPrivateNodeSubgraphUrls: parsed.SUBGRAPH_ALLOW_PRIVATE_URLS,
    port: parsed.PORT,
    host: parsed.HOST,
    production: parsed.NODE_ENV === 'production',
    subgraphUrls: Object.fromEntries(names.flatMap((name) => (parsed[subgraphUrlVariable(name)] ? [[name, parsed[subgraphUrlVariable(name)]]] : []))),
    ...abuseOptions(parsed),
    ...transportOptions(parsed),
    tokenPolicy: tokenPolicy(parsed),
    corsOrigins: parsed.CORS_ORIGINS,
    attachments: attachmentSettings(parsed),
  };
}

/**
 * Evidence: `ATTACHMENT_MAX_BYTES` (default 10 MB) and `ATTACHMENT_STORAGE`: `filesystem` (default,
 * files under `DATA_DIR/attachments`) or `postgres` (a table in `DATABASE_URL`'s database, for
 * replicas that share no disk).
 */
function attachmentSettings(env: CommonEnv): AttachmentSettings {
  if (env.ATTACHMENT_STORAGE === 'postgres' && !env.DATABASE_URL) throw new Error('ATTACHMENT_STORAGE=postgres needs DATABASE_URL');
  const store: AttachmentSettings['store'] =
    env.ATTACHMENT_STORAGE === 'postgres' ? { kind: 'postgres', databaseUrl: env.DATABASE_URL! } : { kind: 'filesystem', directory: path.resolve(env.DATA_DIR, 'attachments') };
  return { store, maxBytes: env.ATTACHMENT_MAX_BYTES, decodeConcurrency: env.ATTACHMENT_DECODE_CONCURRENCY };
}

/** The evidence settings alone (for a process that starts the gateway beside other services). */
export function attachmentSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AttachmentSettings {
  return attachmentSettings(parseEnv(commonEnv, env));
}

function tokenPolicy(env: CommonEnv): TokenPolicy {
  return {
    maxOfficerLifetimeSeconds: env.JWT_MAX_LIFETIME_OFFICER,
    maxSystemLifetimeSeconds: env.JWT_MAX_LIFETIME_SYSTEM,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  };
}

/** What user tokens must satisfy: `JWT_MAX_LIFETIME_OFFICER`, `JWT_MAX_LIFETIME_SYSTEM`, `JWT_ISSUER`, `JWT_AUDIENCE`. */
export function tokenPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): TokenPolicy {
  return tokenPolicy(parseEnv(commonEnv, env));
}

/**
 * The abuse limits alone (for a process that starts the gateway beside other services):
 * `GRAPHQL_MAX_*`, `MAX_BODY_BYTES`, `SUBMIT_RATE_LIMIT_PER_MINUTE` (default 30; `0` turns it
 * off), `SUBMIT_RATE_LIMIT_BURST`, `ATTACHMENT_RATE_LIMIT_PER_MINUTE` (default 30; `0` turns it
 * off), `ATTACHMENT_RATE_LIMIT_BURST`, `ATTACHMENT_RATE_LIMIT_BYTES_PER_MINUTE` (default ten times
 * `ATTACHMENT_MAX_BYTES`), where they are counted (`REDIS_URL`, else `DATABASE_URL`) and `TRUST_PROXY`.
 */
export function abuseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AbuseOptions {
  return abuseOptions(parseEnv(commonEnv, env));
}

/** How the gateway talks to the subgraphs: `GATEWAY_DEDUPLICATE_INFLIGHT` and `SUBGRAPH_CONNECTIONS`. */
export function subgraphTransportFromEnv(env: NodeJS.ProcessEnv = process.env): TransportOptions {
  return transportOptions(parseEnv(commonEnv, env));
}
