import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from './errors';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new BadUserInputError('DateTime must be an ISO-8601 timestamp');
  return date;
}

/** ISO-8601 timestamps in UTC, e.g. `2026-11-24T09:30:00.000Z`. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});
