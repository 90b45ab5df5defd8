import { decodeCursor, encodeCursor, pageArgs, toConnection } from '../src/pagination';

describe('cursor paging', () => {
  it('round-trips a sort key through an opaque cursor', () => {
    const cursor = encodeCursor(['2026-11-24T01:00:00.000Z', 'b0c5']);
    expect(cursor).not.toContain('2026');
    expect(decodeCursor(cursor)).toEqual(['2026-11-24T01:00:00.000Z', 'b0c5']);
  });

  it.each([[-1], [101], [1.5]])('refuses first = %p', (first) => {
    expect(() => pageArgs({ first })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } }));
  });

  it.each(['%%%', Buffer.from('{"a":1}').toString('base64url')])('refuses a cursor it did not issue: %p', (after) => {
    expect(() => pageArgs({ after })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }));
  });

  it('uses the extra row only to say a next page exists', async () => {
    const connection = toConnection([1, 2, 3], 2, (n) => [n], async () => 7);
    expect(connection.edges.map((edge) => edge.node)).toEqual([1, 2]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(await connection.totalCount()).toBe(7);
    expect(toConnection([], 5, (n: number) => [n], async () => 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
