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

// Request and response headers that carry a credential: a caller's token, a session cookie, and
// the gateway's credential to the subgraphs (`GATEWAY_CREDENTIAL_HEADER` in ./auth, not imported:
// auth's errors log through this module). Redacted wherever headers are logged, at the top level
// or one object down (`req.headers`, `request.headers`, an error's `headers`).
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-lapor-gateway-credential'];
const REDACTED_PATHS = CREDENTIAL_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]);

/**
 * A logger configured as every service's (`logger`), writing to `destination` (default stdout).
 * LOG_LEVEL and SERVICE_NAME are read from the environment here, when the module loads: the one
 * exception to configuration read in each entry point, since every module logs through `logger`
 * from the moment it is imported, before any entry point could pass a configuration in.
 */
export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
      base: { service: process.env.SERVICE_NAME ?? 'lapor-hub' },
      redact: REDACTED_PATHS,
      serializers: { err: serializeError },
    },
    destination,
  );
}

/** One structured logger for every service; `LOG_LEVEL` sets the level (tests default to silent). */
export const logger = createLogger();
