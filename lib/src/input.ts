import type { ApolloServerPlugin } from '@apollo/server';
import type { z } from 'zod';
import { BadUserInputError, HubError } from './errors';

/** Validates a mutation's input; the error names the first offending field, e.g. `input.title`. */
export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = ['input', ...issue.path.map(String)].join('.');
  throw new BadUserInputError(`${field} ${issue.message}`, field);
}

/** Text without control characters (which break storage and display). */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}

/**
 * PostgreSQL text cannot hold NUL, so an input carrying one would only ever fail in the driver:
 * the gateway refuses it up front, in variables and in the document's literals alike.
 */
export const refuseNulCharacters: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request }) {
        if (containsNul(request.variables) || /\\u0000|\u0000/.test(request.query ?? '')) {
          throw new HubError('Input must not contain NUL characters', 'BAD_USER_INPUT', { http: { status: 400 } });
        }
      },
    };
  },
};
