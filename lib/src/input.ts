import type { ApolloServerPlugin } from '@apollo/server';
import { visit } from 'graphql';
import type { z } from 'zod';
import { BadUserInputError, HubError } from './errors';

/** Validates a mutation's input; the error names the first offending field, e.g. `input.title`. */
export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  return parseAt(['input'], schema, raw);
}

/** Validates a field's arguments; the error names the first offending argument, e.g. `query`. */
export function parseArguments<T>(schema: z.ZodType<T>, raw: unknown): T {
  return parseAt([], schema, raw);
}

function parseAt<T>(prefix: string[], schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = [...prefix, ...issue.path.map(String)].join('.');
  throw new BadUserInputError(`${field} ${issue.message}`, field);
}

/**
 * Text PostgreSQL cannot store: NUL, and lone UTF-16 surrogates (which also break jsonb). An input
 * carrying either would only ever fail in the driver.
 */
export function isStorableText(text: string): boolean {
  return !/\u0000|\p{Surrogate}/u.test(text);
}

function containsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return !isStorableText(value);
  if (Array.isArray(value)) return value.some(containsUnstorableText);
  if (value && typeof value === 'object') return Object.values(value).some(containsUnstorableText);
  return false;
}

/** The gateway refuses unstorable text up front, in variables and in the document's literals alike. */
export const refuseUnstorableText: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        let inDocument = false;
        visit(document, {
          StringValue(node) {
            if (!isStorableText(node.value)) inDocument = true;
          },
        });
        if (inDocument || containsUnstorableText(request.variables)) {
          throw new HubError('Input must not contain NUL characters or unpaired surrogates', 'BAD_USER_INPUT', { http: { status: 400 } });
        }
      },
    };
  },
};
