import { BadUserInputError } from './errors';
import { isStorableText } from './input';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first: number;
  /** Decoded position after which the page starts (the sort key of the last row seen). */
  after: unknown[] | null;
}

/** Cursors are opaque to clients: base64url of the row's sort key. */
export function encodeCursor(sortKey: unknown[]): string {
  return Buffer.from(JSON.stringify(sortKey)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A sort key is a few strings and numbers; anything else was not issued here.
    const issued = (part: unknown) => (typeof part === 'string' && isStorableText(part)) || (typeof part === 'number' && Number.isFinite(part));
    if (Array.isArray(value) && value.every(issued)) return value;
  } catch {
    // fall through: any undecodable cursor is the caller's mistake
  }
  throw new BadUserInputError('after is not a cursor this API issued', 'after');
}

/** Validates `first` (0..100, default 20) and decodes `after`. */
export function pageArgs(args: { first?: number | null; after?: string | null }): PageArgs {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return { first, after: args.after ? decodeCursor(args.after) : null };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Builds a Relay connection from `first + 1` fetched rows (the extra row only tells that a next
 * page exists). `totalCount` is a thunk so that its query runs only when a client selects it.
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  sortKeyOf: (row: T) => unknown[],
  totalCount: () => Promise<number>,
): Connection<T> {
  const page = rows.slice(0, first);
  // Cursors are encoded when read: an inbox page that selects none spares 50 encodings.
  const edges = page.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(sortKeyOf(node));
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount,
  };
}
