import { NATIONAL_ID, TestHub } from './support/hub';

/** Issue "What a hostile client found", item 7: every limit holds however a value arrives. */
let hub: TestHub;
let national: string;
beforeAll(async () => {
  hub = await TestHub.start();
  national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
});
afterAll(() => hub?.stop());

const NESTED_PAGES = (first: string) => `agency(id: "region-52.06") { assignedComplaints(first: ${first}) { edges { node { assignedAgency {
  assignedComplaints(first: ${first}) { edges { node { id } } } } } } } }`;

describe('the cost limit', () => {
  it.each([
    ['a literal', `{ ${NESTED_PAGES('100')} }`, {}],
    ['a variable', `query($n: Int!) { ${NESTED_PAGES('$n')} }`, { n: 100 }],
    ['a variable’s default', `query($n: Int = 100) { ${NESTED_PAGES('$n')} }`, {}],
    ['a variable behind a fragment', `query($n: Int!) { ...pages } fragment pages on Query { ${NESTED_PAGES('$n')} }`, { n: 100 }],
  ])('counts the page size given as %s', async (_how, query, variables) => {
    const response = await hub.query(query, variables, national);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([{ message: expect.stringMatching(/^Query Cost limit of 10000 exceeded, found 708\d\d\.$/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('lets the same query through with small pages, however they arrive', async () => {
    for (const [query, variables] of [
      [`{ ${NESTED_PAGES('5')} }`, {}],
      [`query($n: Int!) { ${NESTED_PAGES('$n')} }`, { n: 5 }],
      [`query($n: Int = 5) { ${NESTED_PAGES('$n')} }`, {}],
      // A variable given overrides its default.
      [`query($n: Int = 100) { ${NESTED_PAGES('$n')} }`, { n: 5 }],
    ] as const) {
      const response = await hub.query(query, variables, national);
      expect(response.errors).toBeUndefined();
    }
  });
});

describe('a DateTime the hub cannot read', () => {
  const DASHBOARD = (from: string) => `nationalDashboard(from: ${from}, to: "2026-12-01T00:00:00Z") { stats { total } }`;

  it.each(['yesterday', '+010000-01-01T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01'])('%s: refused alike as a literal, a variable and a default, HTTP 400', async (value) => {
    const answers = await Promise.all([
      hub.query(`{ ${DASHBOARD(JSON.stringify(value))} }`, {}, national),
      hub.query(`query($f: DateTime!) { ${DASHBOARD('$f')} }`, { f: value }, national),
      hub.query(`query($f: DateTime! = ${JSON.stringify(value)}) { ${DASHBOARD('$f')} }`, {}, national),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/DateTime must be an ISO-8601 timestamp/), extensions: { code: 'BAD_USER_INPUT' } })]);
    }
  });

  it('is refused as a number literal too, and a valid one still passes as it was sent', async () => {
    const number = await hub.query(`{ ${DASHBOARD('5')} }`, {}, national);
    expect(number.status).toBe(400);
    expect(number.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const valid = await hub.query(`query($f: DateTime!) { ${DASHBOARD('$f')} a: ${DASHBOARD('"2026-01-01T00:00:00.000Z"')} }`, { f: '2026-01-01T00:00:00Z' }, national);
    expect(valid.errors).toBeUndefined();
  });
});
