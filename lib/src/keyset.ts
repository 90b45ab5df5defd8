import { BadUserInputError } from './errors';
import { isIsoTimestamp, isUuid } from './ids';
import { sql, type SqlFragment } from './sql';

/** A column of a list's sort key, and what its part of a cursor must look like. */
export interface KeyColumn {
  /** A qualified column written in the code (`c.submitted_at`), never from input. */
  column: string;
  type: 'timestamptz' | 'uuid' | 'text' | 'float8';
}

const VALID: Record<KeyColumn['type'], (value: unknown) => boolean> = {
  timestamptz: isIsoTimestamp,
  uuid: isUuid,
  text: (value) => typeof value === 'string',
  // A computed rank (a search's relevance): a JS number round-trips a float8 exactly.
  float8: (value) => typeof value === 'number' && Number.isFinite(value),
};

/**
 * ` and (k1, k2) < (?, ?)`: the rows after a decoded `after` cursor in a keyset walk (`<` for a
 * list newest first, `>` for one in ascending order). Each part of the cursor is checked before
 * it reaches SQL: a cursor this API did not issue is `BAD_USER_INPUT` on `after`.
 */
export function keysetAfter(after: unknown[] | null, key: readonly KeyColumn[], direction: '<' | '>'): SqlFragment {
  if (!after) return sql.empty;
  if (after.length !== key.length || key.some((part, index) => !VALID[part.type](after[index]))) {
    throw new BadUserInputError('after is not a cursor this API issued', 'after');
  }
  const columns = sql.raw(key.map((part) => part.column).join(', '));
  const values = sql.join(
    key.map((part, index) => sql`${after[index]}${sql.raw(`::${part.type}`)}`),
    ', ',
  );
  return sql` and (${columns}) ${sql.raw(direction)} (${values})`;
}
