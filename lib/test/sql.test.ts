import { keysetAfter, lineText, multilineText, optionalLineText, sql } from '@lapor-hub/lib';

describe('sql', () => {
  it('binds values and splices fragments with their parameters in order', () => {
    const status = sql` and c.status = ${'FORWARDED'}`;
    const statement = sql`select * from complaints.complaint c where c.assigned_agency_id = ${'region-52.06'}${status} limit ${21}`;
    expect(statement.text).toBe('select * from complaints.complaint c where c.assigned_agency_id = ? and c.status = ? limit ?');
    expect(statement.params).toEqual(['region-52.06', 'FORWARDED', 21]);
  });

  it('joins fragments and binds a text[] as one parameter', () => {
    const joined = sql.join([sql`a = ${1}`, sql`b = ${2}`, sql.empty].filter((part) => part.text), ' and ');
    expect(joined).toMatchObject({ text: 'a = ? and b = ?', params: [1, 2] });
    expect(sql`${sql.textArray(['52', 'a"b'])}`.params).toEqual(['{"52","a\\"b"}']);
  });

  it('never treats a value that looks like a fragment as SQL', () => {
    const forged = { text: 'drop table x', params: [] };
    expect(sql`select ${forged}`).toMatchObject({ text: 'select ?', params: [forged] });
  });
});

describe('keysetAfter', () => {
  const key = [
    { column: 'c.submitted_at', type: 'timestamptz' },
    { column: 'c.id', type: 'uuid' },
  ] as const;

  it('is nothing on the first page, a row comparison after a cursor', () => {
    expect(keysetAfter(null, key, '<').text).toBe('');
    const after = keysetAfter(['2026-11-30T01:02:03.000Z', '6f1c2b8e-6a0e-4f0e-9b8e-0c1d2e3f4a5b'], key, '<');
    expect(after.text).toBe(' and (c.submitted_at, c.id) < (?::timestamptz, ?::uuid)');
    expect(after.params).toHaveLength(2);
  });

  it.each([[['not a date', '6f1c2b8e-6a0e-4f0e-9b8e-0c1d2e3f4a5b']], [['2026-11-30T01:02:03Z']], [['2026-11-30T01:02:03Z', 'x']]])(
    'refuses a cursor it did not issue: %j',
    (after) => {
      expect(() => keysetAfter(after, key, '<')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
    },
  );
});

describe('text validators', () => {
  it('trim, bound the length and refuse control characters', () => {
    expect(lineText(10).parse('  Jalan  ')).toBe('Jalan');
    expect(lineText(10).safeParse('').success).toBe(false);
    expect(lineText(3).safeParse('abcd').success).toBe(false);
    expect(lineText(10).safeParse('a\nb').success).toBe(false);
    expect(multilineText(10).parse('a\nb\tc')).toBe('a\nb\tc');
    expect(multilineText(10).safeParse('a\u0007').success).toBe(false);
    expect(optionalLineText(10).parse('   ')).toBeNull();
    expect(optionalLineText(10).parse(undefined)).toBeNull();
  });
});
