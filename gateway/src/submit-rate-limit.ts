import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { HubError, logger, type Viewer } from '@lapor-hub/lib';
import type { GatewayContext } from './subgraph-data-source';

/** How many `submitComplaint`s one client may send. */
export interface SubmitRateLimit {
  /** The sustained rate, per client. */
  perMinute: number;
  /** How many a client may send at once before waiting (default: `perMinute`). */
  burst?: number;
}

/**
 * How many evidence uploads (`POST /attachments`) one client may send: each is decoded and
 * re-encoded (sharp), so they are counted apart from submissions, and so are their bytes.
 */
export interface AttachmentRateLimit extends SubmitRateLimit {
  /** The bytes of files a client may upload per minute; at least the largest file accepted. Unset: not counted. */
  bytesPerMinute?: number;
}

/** Who is calling, for per-client limits: the officer's token subject, else the client's IP address. */
export function clientIdOf(viewer: Viewer, ip: string | undefined): string {
  return viewer.kind === 'officer' ? `sub:${viewer.sub}` : `ip:${ip ?? 'unknown'}`;
}

/**
 * Where the counters live, so that every gateway replica (or `WORKERS` process) counts against one
 * limit: a PostgreSQL table, or Redis. Unset: this process's memory, right for one process only.
 */
export type RateLimitStore = { kind: 'postgres'; databaseUrl: string } | { kind: 'redis'; redisUrl: string };

/** The table every replica counts in (PostgreSQL), in the database's default schema. */
export const RATE_LIMIT_TABLE = 'gateway_rate_limit';

/** A limiter of `points` per `duration` seconds in `store`, with what closes its connection. */
export interface SharedLimiter {
  limiter: RateLimiterAbstract;
  close(): Promise<void>;
}

/**
 * Opens the counters' store. Should it fail later (the database or Redis down), each process
 * counts in memory meanwhile (rate-limiter-flexible's insurance limiter) rather than refuse or
 * let through every submission.
 */
export async function openLimiter(
  options: { keyPrefix: string; points: number; duration: number },
  store: RateLimitStore | undefined,
): Promise<SharedLimiter> {
  if (!store) return { limiter: new RateLimiterMemory(options), close: async () => undefined };
  const insuranceLimiter = new RateLimiterMemory(options);
  if (store.kind === 'redis') {
    const client = redisClient(store.redisUrl);
    // Commands sent before the connection is up would fail at once (no offline queue) and be
    // counted by this process's insurance limiter alone: wait for it, a few seconds at most.
    await connected(client);
    return { limiter: new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter }), close: async () => void (await client.quit()) };
  }
  const pool = new Pool({ connectionString: store.databaseUrl, max: 4 });
  pool.on('error', (error) => logger.warn({ err: error }, 'rate limit database connection failed'));
  const open = () =>
    new Promise<RateLimiterPostgres>((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres({ ...options, storeClient: pool, tableName: RATE_LIMIT_TABLE, insuranceLimiter }, (error?: unknown) =>
        error ? reject(error) : resolve(limiter),
      );
    });
  try {
    // Replicas starting together may race on `create table if not exists`; the loser tries again.
    const limiter = await open().catch(open);
    return { limiter, close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

const REDIS_CONNECT_WAIT_MS = 5_000;

function connected(client: import('ioredis').Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn('rate limit Redis not ready yet; counting in this process until it is');
      resolve();
    }, REDIS_CONNECT_WAIT_MS);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** An ioredis client: a dependency of the gateway only where `REDIS_URL` is set, so loaded only then. */
function redisClient(url: string): import('ioredis').Redis {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = require('ioredis') as typeof import('ioredis'));
  } catch {
    throw new Error('REDIS_URL is set but the ioredis package is not installed');
  }
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', (error) => logger.warn({ err: error }, 'rate limit Redis connection failed'));
  return client;
}

/**
 * The public mutations a citizen sends without a token: filing a complaint (the one SMS gateways
 * and apps call) and supporting one ("me too"). Both draw on the same allowance per client.
 */
const LIMITED_FIELDS: ReadonlySet<string> = new Set(['submitComplaint', 'supportComplaint']);

/**
 * How many times `operation` runs `submitComplaint`: one per distinct response key at the root of a
 * mutation, aliases included and fragments followed (`a: submitComplaint(…) b: submitComplaint(…)`
 * is two; the same key twice merges into one execution, as GraphQL does). A field under `@skip` or
 * `@include` counts all the same.
 */
export function submitCount(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined): number {
  if (operation?.operation !== 'mutation') return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document?.definitions ?? []) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const responseKeys = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (LIMITED_FIELDS.has(selection.name.value)) responseKeys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return responseKeys.size;
}

/** Counters named `keyPrefix` in `store`: `burst` points per `burst / perMinute` minutes. */
function openPerMinuteLimiter(keyPrefix: string, limit: SubmitRateLimit, store: RateLimitStore | undefined): Promise<SharedLimiter> {
  const burst = limit.burst ?? limit.perMinute;
  if (!(limit.perMinute > 0) || !Number.isInteger(burst) || burst < 1) {
    throw new Error(`Invalid ${keyPrefix} rate limit ${JSON.stringify(limit)}: perMinute must be positive and burst a positive integer`);
  }
  return openLimiter({ keyPrefix, points: burst, duration: Math.ceil((burst / limit.perMinute) * 60) }, store);
}

/** The submission limit's counters in `store`. */
export function openSubmitLimiter(limit: SubmitRateLimit, store: RateLimitStore | undefined): Promise<SharedLimiter> {
  return openPerMinuteLimiter('submit-complaint', limit, store);
}

/** The counters of evidence uploads in `store`, and of their bytes when `bytesPerMinute` is set. */
export interface AttachmentLimiters {
  uploads: RateLimiterAbstract;
  bytes: RateLimiterAbstract | null;
  close(): Promise<void>;
}

/**
 * Opens the upload limit's counters. A byte allowance below `maxBytes` would refuse every file of
 * the largest size accepted for ever, so it is a configuration error.
 */
export async function openAttachmentLimiters(limit: AttachmentRateLimit, maxBytes: number, store: RateLimitStore | undefined): Promise<AttachmentLimiters> {
  if (limit.bytesPerMinute !== undefined && !(Number.isInteger(limit.bytesPerMinute) && limit.bytesPerMinute >= maxBytes)) {
    throw new Error(`Invalid attachment byte rate limit ${limit.bytesPerMinute}: it must be a whole number of at least the largest file accepted (${maxBytes} bytes)`);
  }
  const uploads = await openPerMinuteLimiter('attachment-upload', limit, store);
  const bytes = limit.bytesPerMinute === undefined ? null : await openLimiter({ keyPrefix: 'attachment-bytes', points: limit.bytesPerMinute, duration: 60 }, store).catch(async (error) => {
    await uploads.close();
    throw error;
  });
  return {
    uploads: uploads.limiter,
    bytes: bytes?.limiter ?? null,
    async close() {
      await uploads.close();
      await bytes?.close();
    },
  };
}

/**
 * Takes `points` from `clientId`'s allowance in `limiter`, or answers in how many seconds to retry
 * (at least 1). A refused attempt costs nothing: its points are given back.
 */
export async function consumeOrRetryAfter(limiter: RateLimiterAbstract, clientId: string, points: number): Promise<number | null> {
  try {
    await limiter.consume(clientId, points);
    return null;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    await limiter.reward(clientId, points);
    return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
  }
}

/**
 * Limits `submitComplaint` per client: the bearer token's `sub` when there is one, else the
 * client's IP address (`req.ip`: set `trustProxy` behind a proxy), counted by `limiter` (see
 * `openSubmitLimiter`: shared by every replica when in PostgreSQL or Redis). A client gets `burst`
 * submissions per `burst / perMinute` minutes; over that, the whole operation is refused with
 * `RATE_LIMITED`, HTTP 429 and `retry-after`, before any subgraph is asked, and the refused
 * attempt does not count.
 */
export function submitRateLimitPlugin(limiter: RateLimiterAbstract): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const count = submitCount(operation, document);
          if (count === 0 || !contextValue.clientId) return;
          const retryAfter = await consumeOrRetryAfter(limiter, contextValue.clientId, count);
          if (retryAfter === null) return;
          logger.warn({ clientId: contextValue.clientId, count, retryAfter }, 'submitComplaint rate limited');
          throw new HubError(`Too many complaints submitted from this client; retry in ${retryAfter} s`, 'RATE_LIMITED', {
            http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
          });
        },
      };
    },
  };
}
