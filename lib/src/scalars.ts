import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from './errors';
import { isIsoTimestamp } from './ids';

function parseDate(value: unknown): Date {
  // Four-digit years only: JavaScript accepts `+010000-01-01`, PostgreSQL does not.
  if (!isIsoTimestamp(value)) throw new BadUserInputError('DateTime must be an ISO-8601 timestamp such as 2026-11-24T09:30:00Z');
  return new Date(value);
}

/** ISO-8601 timestamps in UTC, e.g. `2026-11-24T09:30:00.000Z`. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});
