import type { z } from 'zod';
import { BadUserInputError } from './errors';

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
