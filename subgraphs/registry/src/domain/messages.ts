import type { SchemaCheckCode } from '../generated/resolvers-types';

/** One finding of a schema check: a code for programs, a sentence for people. */
export interface CheckMessage {
  code: SchemaCheckCode;
  message: string;
}

/** A check's findings: any error refuses the candidate, warnings only inform. */
export interface CheckFindings {
  errors: CheckMessage[];
  warnings: CheckMessage[];
}

export function mergeFindings(...parts: CheckFindings[]): CheckFindings {
  return { errors: parts.flatMap((part) => part.errors), warnings: parts.flatMap((part) => part.warnings) };
}
