import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from './logger';

/** The error codes of the public contract (DESIGN.md); every error a client sees carries one. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  | 'DOWNSTREAM_SERVICE_ERROR'
  /** Too many requests from one client (the gateway's `submitComplaint` limit); HTTP 429 with `retry-after`. */
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export class HubError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class BadUserInputError extends HubError {
  /** `field` is the input path the caller got wrong, e.g. `input.title`. */
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', field ? { field } : {});
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'Authentication required') {
    super(message, 'UNAUTHENTICATED');
  }
}

/**
 * A request refused as a whole (bad token, missing gateway credential): answered with HTTP 401.
 * Resolver-level refusals stay 200 with a coded error, so that the gateway passes them on as they are.
 */
export class RequestUnauthenticatedError extends HubError {
  constructor(message: string) {
    // Apollo Server turns `http.status` into the response status and leaves it out of the body.
    super(message, 'UNAUTHENTICATED', { http: { status: 401 } });
  }
}

export class ForbiddenError extends HubError {
  constructor(message = 'Not allowed for this role or node') {
    super(message, 'FORBIDDEN');
  }
}

export class NotFoundError extends HubError {
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`, 'NOT_FOUND');
  }
}

export class ConflictError extends HubError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

/** A dependency (another hub service, the database) is down for now; the caller may retry. */
export class ServiceUnavailableError extends HubError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 'SERVICE_UNAVAILABLE', extra);
  }
}

const PUBLIC_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  // Produced by GraphQL itself for malformed documents and variables; they name no internals.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'DOWNSTREAM_SERVICE_ERROR',
]);

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable for now; nothing was changed by the failed step, try again shortly';

// SQLSTATE class 08 (connection exception) and the shutdown/startup codes of class 57P; a
// transaction cut off by them was rolled back by the server.
const UNAVAILABLE_SQLSTATES = /^(08...|57P01|57P02|57P03)$/;
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// The driver and the pool say "connection lost" and "no connection to be had" only in words; knex
// says "already complete" of a transaction whose connection died under it (the server rolled it back).
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Timeout acquiring a connection|Client has encountered a connection error|Connection ended unexpectedly|Transaction query already complete|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether an error means the database cannot be reached now (down, restarting, connections cut
 * or exhausted) rather than a fault of the request or the code: the caller may retry it. Looks
 * through the ORM's and driver's wrappers (`cause`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = String((current as { code?: unknown }).code ?? '');
    if (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

const PUBLIC_EXTENSION_KEYS = new Set(['code', 'field', 'serviceName']);

/**
 * Apollo Server `formatError`: errors of the contract pass through without their stack; anything
 * else (a driver error, a bug) is logged here and reaches the client as a bare internal error, so
 * no SQL, stack or file path ever leaves the service.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  if (PUBLIC_CODES.has(code)) {
    // Only these keys reach a client: never a stack, nor a subgraph's URL or raw response.
    const extensions = Object.fromEntries(
      Object.entries(formatted.extensions ?? {}).filter(([key]) => PUBLIC_EXTENSION_KEYS.has(key)),
    );
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions };
  }
  const cause = unwrapResolverError(error);
  if (isDatabaseUnavailable(cause)) {
    logger.warn({ err: cause, path: formatted.path }, 'database unavailable');
    return { message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, locations: formatted.locations, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  logger.error({ err: cause, path: formatted.path }, 'internal error');
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
