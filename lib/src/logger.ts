import pino from 'pino';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Whether MikroORM wrapped the error (its `DriverException` or a subclass). Recognized by the class
 * name along the prototype chain rather than `instanceof`: the logger is loaded by the gateway too,
 * which has no database and should not load the ORM to log an error.
 */
function isDriverException(error: Error): boolean {
  for (let prototype = Object.getPrototypeOf(error); prototype && prototype !== Error.prototype; prototype = Object.getPrototypeOf(prototype)) {
    if (prototype.constructor?.name === 'DriverException') return true;
  }
  return false;
}

/**
 * pino's error serializer, minus what a database error quotes: the driver prefixes the failed
 * statement with its values, and PostgreSQL's own messages and details quote values too (a
 * citizen's name, a complaint's text). A database error is logged by its SQLSTATE and the names
 * of what it concerns; a connection failure (no SQLSTATE) by the driver's words after the statement.
 */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error);
  if (!(error instanceof Error)) return serialized;
  const { code, severity, routine, schema, table, column, constraint } = error as Error & Record<string, unknown>;
  const fromDatabase = typeof code === 'string' && SQLSTATE.test(code);
  if (!fromDatabase && !isDriverException(error)) return serialized;
  const message = fromDatabase ? `database error ${code}` : error.message.slice(error.message.lastIndexOf(' - ') + 3);
  const frames = (serialized.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return { type: serialized.type, message, code, severity, routine, schema, table, column, constraint, stack: [`${serialized.type}: ${message}`, ...frames].join('\n') };
}

/** One structured logger for every service; `LOG_LEVEL` sets the level (tests default to silent). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'lapor-hub' },
  redact: ['req.headers.authorization', 'req.headers["x-lapor-identity"]'],
  serializers: { err: serializeError },
});
