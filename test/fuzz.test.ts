/**
 * Hardening: a property-based fuzz test of every public mutation (and two paged queries) through the
 * gateway. Thousands of random and hostile inputs — huge strings, control characters, mixed
 * scripts, SQL and HTML fragments, wrong types, out-of-range pages, bad ids, cursors, enums and
 * tokens — and for each answer: an allowed HTTP status, either a valid result or errors that all
 * carry a public code (never INTERNAL_SERVER_ERROR), and no stack trace or SQL in the raw text.
 * At the end the databases must hold exactly what the accepted calls created.
 *
 * Reproduce a failure with the seed fast-check prints: `FUZZ_SEED=<seed> npx jest test/fuzz.test.ts`.
 * Scale the number of runs with `FUZZ_RUNS=<factor>` (default 1: about 2,900 requests). Explore with
 * `FUZZ_REPORT_ALL=1`: every failing request is listed (and appended to
 * $TMPDIR/lapor-fuzz-findings.jsonl) instead of stopping at the first.
 *
 * A failure is a product bug to fix, not an input to leave out: pin its exact input in the
 * regressions at the end once fixed. Should one have to wait, pin it there as `it.failing` with a
 * `// BUG:` comment and steer only that input away from the property, saying so.
 */
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ROLES, signUserToken, type Role } from '@lapor-hub/lib';
import { NATIONAL_ID, TestHub } from './support/hub';

jest.setTimeout(10 * 60_000);

// ---------------------------------------------------------------------------------------------
// The hub, and what the test knows about it
// ---------------------------------------------------------------------------------------------

let hub: TestHub;

const REGENCY = 'region-52.06'; // Kabupaten Bima (WITA)
const PROVINCE = 'region-52'; // Nusa Tenggara Barat
const SIBLING = 'region-52.01';
const MINISTRY = 'kemenkes';
const OTHER_PROVINCE = 'region-51';
let unitId = '';
let inspectorateId = '';

const STATUSES = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'] as const;
type Status = (typeof STATUSES)[number];

interface TrackedComplaint {
  id: string;
  trackingId: string;
  reporterToken: string;
  version: number;
  status: Status;
  /** The node that holds it now: assigned, else addressed. */
  holder: string;
}

interface TrackedEscalation {
  id: string;
  status: string;
  reason: string;
  toAgencyId: string;
}

/** What the accepted calls created (and the state the arbitraries pick real ids from). */
const book = {
  baseline: { complaintIds: new Set<string>(), unitIds: new Set<string>(), escalations: 0 },
  complaints: new Map<string, TrackedComplaint>(),
  createdUnitIds: new Set<string>(),
  escalations: new Map<string, TrackedEscalation>(),
  /** Escalations the hub creates by itself: a declined WRONG_AGENCY goes on to the national admin. */
  successorEscalations: 0,
  leaveDays: new Set<string>(),
  agencyCursors: [] as string[],
  complaintCursors: [] as string[],
  categories: [] as string[],
};

/** Requests sent and how they were answered, for the summary. */
const stats = { requests: 0, byOperation: new Map<string, { sent: number; ok: number; codes: Map<string, number> }>() };

// ---------------------------------------------------------------------------------------------
// Sending and checking
// ---------------------------------------------------------------------------------------------

interface Sent {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  authorization?: string;
}

interface Answer {
  status: number;
  text: string;
  body: any;
}

async function send(sent: Sent): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sent.authorization !== undefined) headers.authorization = sent.authorization;
  const response = await fetch(hub.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: sent.query, variables: sent.variables }) });
  const text = await response.text();
  stats.requests++;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

const ALLOWED_STATUSES = new Set([200, 400, 401, 403, 413, 429]);
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'RATE_LIMITED',
  'DOWNSTREAM_SERVICE_ERROR',
]);
const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat [^\n]{0,300}?\.(ts|js|mjs|cjs):\d+/],
  ['file position', /\.(ts|js|mjs|cjs):\d+:\d+/],
  ['node_modules', /node_modules/],
  ['SQL statement', /\b(select|insert|update|delete)\b.{1,500}?\b(from|into|set)\b/i],
  ['database error', /violates|syntax error at|relation "[^"]*" does not exist|\bpg_|invalid byte sequence|invalid input syntax|date\/time field value out of range|duplicate key|MikroORM|DriverException|ECONNREFUSED/i],
];

/** Every string the request carried (and the forms a server may echo it in). */
function sentStrings(sent: Sent): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        found.add(key);
        walk(inner);
      }
    }
  };
  walk(sent.variables);
  if (sent.authorization) found.add(sent.authorization);
  const variants = new Set<string>();
  for (const text of found) {
    for (const variant of [text, text.trim(), text.toUpperCase(), text.trim().toUpperCase(), text.toLowerCase(), text.trim().toLowerCase()]) {
      if (variant.length >= 4) variants.add(variant);
    }
  }
  return [...variants].sort((a, b) => b.length - a.length);
}

/**
 * The response text with the request's own strings taken out (an error message may quote the
 * caller's input, e.g. `input.agencyId '; delete from … is not a hub node`; that is no leak) and
 * opaque tokens (cursors, ids, reporter tokens) blanked, so the leak patterns only see what the hub wrote.
 */
function withoutEchoes(text: string, sent: Sent): string {
  let out = text;
  for (const variant of sentStrings(sent)) {
    const once = JSON.stringify(variant).slice(1, -1);
    const twice = JSON.stringify(JSON.stringify(variant)).slice(1, -1);
    out = out.split(twice).join(' ').split(once).join(' ');
  }
  return out.replace(/[A-Za-z0-9_-]{20,}={0,2}/g, ' ');
}

/** The request, short enough for a failure message (huge strings summarised). */
function describe_(sent: Sent): string {
  const shorten = (_key: string, value: unknown) => {
    if (typeof value !== 'string' || value.length <= 120) return value;
    return `<${value.length} chars: ${JSON.stringify(value.slice(0, 40))}…>`;
  };
  const auth = sent.authorization === undefined ? 'none' : sent.authorization.length > 120 ? `${sent.authorization.slice(0, 60)}…` : sent.authorization;
  return `${sent.operation} variables=${JSON.stringify(sent.variables, shorten)} authorization=${auth}`;
}

function fail(sent: Sent, answer: Answer, why: string): never {
  const text = answer.text.length > 1500 ? `${answer.text.slice(0, 1500)}…` : answer.text;
  throw new Error(`${why}\nrequest: ${describe_(sent)}\nHTTP ${answer.status}: ${text}`);
}

/**
 * The property every answer must have. Returns the operation's data when the call succeeded, null
 * when it was refused with coded errors.
 */
function check(sent: Sent, answer: Answer, field: string, validate: (data: any) => void, partialData = false): any {
  const record = stats.byOperation.get(sent.operation) ?? { sent: 0, ok: 0, codes: new Map<string, number>() };
  stats.byOperation.set(sent.operation, record);
  record.sent++;
  if (!ALLOWED_STATUSES.has(answer.status)) fail(sent, answer, `HTTP status ${answer.status} is not one of ${[...ALLOWED_STATUSES].join(', ')}`);
  const scanned = withoutEchoes(answer.text, sent);
  for (const [what, pattern] of LEAKS) {
    const match = pattern.exec(scanned);
    if (match) fail(sent, answer, `the response leaks a ${what}: ${JSON.stringify(match[0].slice(0, 200))}`);
  }
  const body = answer.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) fail(sent, answer, 'the response is not a GraphQL JSON object');
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors) || body.errors.length === 0) fail(sent, answer, '`errors` is not a non-empty list');
    for (const error of body.errors) {
      const code = error?.extensions?.code;
      record.codes.set(String(code), (record.codes.get(String(code)) ?? 0) + 1);
      if (typeof error?.message !== 'string') fail(sent, answer, 'an error without a message');
      if (code === 'INTERNAL_SERVER_ERROR') fail(sent, answer, 'INTERNAL_SERVER_ERROR: the input reached somewhere it should not');
      if (!PUBLIC_CODES.has(code)) fail(sent, answer, `error code ${JSON.stringify(code)} is not a public code`);
      // An outage answer to a well-formed call is worth a look: was it the input that broke a service?
      if (REPORT_ALL && code === 'SERVICE_UNAVAILABLE') findings.set(`unavailable ${sent.operation}`, `note: SERVICE_UNAVAILABLE\n  ${describe_(sent)}`);
      const extra = Object.keys(error.extensions).filter((key) => !['code', 'field', 'serviceName'].includes(key));
      if (extra.length > 0) fail(sent, answer, `error extensions expose ${extra.join(', ')}`);
    }
    // A mutation either happened or not; a query may answer in part (a refused nullable field).
    if (!partialData && body.data?.[field]) fail(sent, answer, 'errors next to a result: was the call applied or not?');
    return null;
  }
  if (answer.status !== 200) fail(sent, answer, `HTTP ${answer.status} without errors`);
  const data = body.data?.[field];
  if (data === undefined) fail(sent, answer, `no errors and no data.${field}`);
  try {
    validate(data);
  } catch (error) {
    fail(sent, answer, `invalid result: ${(error as Error).message}`);
  }
  record.ok++;
  return data;
}

function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------
// Values resolved when a request is built (so that what fast-check prints stays short)
// ---------------------------------------------------------------------------------------------

/** A huge string, printed as its unit and length. */
class Huge {
  constructor(
    readonly unit: string,
    readonly length: number,
  ) {}
  text(): string {
    return this.unit.repeat(Math.ceil(this.length / this.unit.length)).slice(0, this.length);
  }
  [fc.toStringMethod](): string {
    return `Huge(${JSON.stringify(this.unit)} × ${this.length})`;
  }
}

/** A value known only at run time (a real id, the current version, a cursor seen earlier). */
class Ref {
  constructor(
    readonly label: string,
    readonly resolve: (context: BuildContext) => unknown,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

interface BuildContext {
  complaint?: TrackedComplaint;
  escalation?: TrackedEscalation;
}

function materialize(value: unknown, context: BuildContext): unknown {
  if (value instanceof Huge) return value.text();
  if (value instanceof Ref) return materialize(value.resolve(context), context);
  if (Array.isArray(value)) return value.map((item) => materialize(item, context));
  if (value && typeof value === 'object') {
    // fromEntries keeps a `__proto__` key as an own property, as JSON would.
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, materialize(inner, context)]));
  }
  return value;
}

const pickFrom = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const SQL = [
  "'; drop table complaints.complaint; --",
  "' or 1=1 --",
  '" or ""="',
  "') or ('a'='a",
  '$1',
  '$2::text',
  '\\x00',
  "'; delete from agencies.agency; --",
  "1' union select null, null, null --",
  "'; waitfor delay '0:0:5' --",
  '%',
  '_',
  '%_%',
  '\\',
  "''",
  '/*',
  '*/',
  ';',
  '--',
];
const HTML = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(document.cookie)>",
  'javascript:alert(1)',
  '<iframe src="data:text/html,<script>alert(1)</script>">',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '#{7*7}',
  '&lt;b&gt;',
  '&#0;',
];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f', '\r', '\n', '\t', '\r\n'];
const SCRIPTS = [
  'Laporan jalan rusak di Desa Sape',
  'Pelayanan puskesmas lambat',
  'شكوى بشأن الطريق',
  '道路损坏投诉',
  'Жалоба на дорогу',
  'ถนนเสีย',
  'ꦲꦏ꧀ꦱꦫ',
  'ᬅᬓ᭄ᬱᬭ',
  '😀',
  '👩‍👩‍👧‍👦',
  '🇮🇩',
  '\u200d',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\uffff',
  'e\u0301',
  'İı',
  'ß',
  'ﬁ',
  'Ａ１',
  '𝕏',
  '\ud800',
  '\udfff',
];
const MISC = ['', ' ', '   ', '\u00a0', 'null', 'undefined', 'NaN', 'true', '0', '-1', '{}', '[]', '%s%s%n', '../../../etc/passwd', '"', "'", '`', '__proto__', 'constructor', 'LPR-0000000000'];
/** Hostile pieces that are still valid text (no control characters). */
const PRINTABLE_PIECES = [...SQL, ...HTML, ...SCRIPTS, 'Dinas', 'Kesehatan', 'Jembatan ambruk', 'Bima'];
const ALL_PIECES = [...PRINTABLE_PIECES, ...CONTROL, ...MISC];

const printableAscii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));

/** Short hostile text: SQL, HTML, control characters, mixed scripts, random code points. */
const fragments = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...ALL_PIECES) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** 10k to 200k characters of one unit (ASCII, emoji, Han, NUL, SQL, RTL override…). */
const huge = fc
  .record({
    unit: fc.constantFrom('a', 'Laporan ', '😀', '道', '\u0000', '\u202e', "' or 1=1 -- ", '<script>', 'ﷺ', ' ', '\n'),
    length: fc.integer({ min: 10_000, max: 200_000 }),
  })
  .map(({ unit, length }) => new Huge(unit, length));

/** A NUL byte somewhere in hostile text: PostgreSQL refuses it in any text parameter. */
const withNul = fc.tuple(fragments, fc.nat()).map(([text, n]) => {
  const at = n % (text.length + 1);
  return `${text.slice(0, at)}\u0000${text.slice(at)}`;
});

const hostileString: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fragments },
  { weight: 2, arbitrary: withNul },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\t\n') },
);

/** Values of the wrong type for whatever field they land in. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
  fc.constant({ $ne: null }),
  fc.constant(JSON.parse('{"__proto__": {"admin": true}}') as unknown),
);

/** Mostly a valid value; otherwise hostile text, a wrong type or nothing at all. */
function field(valid: fc.Arbitrary<unknown>, weights = { valid: 6, hostile: 3, wrong: 1, missing: 1 }): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: weights.valid, arbitrary: valid },
    { weight: weights.hostile, arbitrary: hostileString },
    { weight: weights.wrong, arbitrary: wrongType },
    { weight: weights.missing, arbitrary: fc.constant(undefined) },
  );
}

/** A whole input: valid, fuzzed field by field (sometimes with an unknown key), or not an object at all. */
function inputOf(valid: fc.Arbitrary<Record<string, unknown>>, fuzzed: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  const withExtraKey = fc
    .tuple(fuzzed, fc.constantFrom('__proto__', 'constructor', 'id', 'status', "x'; --", ''), field(fc.constant(1)))
    .map(([input, key, value]) => Object.fromEntries([...Object.entries(input), [key, value]]));
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 5, arbitrary: fuzzed },
    { weight: 1, arbitrary: withExtraKey },
    { weight: 1, arbitrary: fc.oneof(wrongType, hostileString, fc.constant(undefined)) },
  );
}

/** Valid text of 1 to `max` characters; hostile in content, but allowed. */
function validText(max: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...PRINTABLE_PIECES) },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((text) => !/\p{Cc}/u.test(text)) },
        { weight: 1, arbitrary: fc.constantFrom(' ', '\u00a0', '  ') },
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((parts) => parts.join(''))
    .filter((text) => text.trim().length > 0 && text.trim().length <= max);
}

const nodeId = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(NATIONAL_ID, REGENCY, PROVINCE, SIBLING, MINISTRY, OTHER_PROVINCE) },
    { weight: 2, arbitrary: fc.constantFrom('unit', 'inspectorate').map((which) => new Ref(which, () => (which === 'unit' ? unitId : inspectorateId))) },
    { weight: 1, arbitrary: fc.constantFrom('no-such-node', 'REGION-52.06', ' region-52.06', 'region-52.06 ', 'region-52.06.unit-', 'region-%', 'region-52.0_') },
  );

/** Ints for `version` and `first`: in range, at the edges, beyond 32 bits, or not ints at all. */
const hostileInt: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 101, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 1.5, -0, 1e308, -1e308),
  fc.constantFrom('10', 'NaN', 'Infinity', '-1', '0x10', '1e3', ''),
  fc.integer(),
);

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const dateish = fc.oneof(
  fc.constantFrom(
    '2026-01-05T03:04:05.123Z',
    '2026-01-05T03:04:05.123456Z',
    '1',
    '0',
    '2026-02-30T00:00:00.000Z',
    'March 7',
    'Tue, 03 Mar 2026 10:00:00 GMT',
    '2026-01-05',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '\u0000',
    '',
    'now',
    'infinity',
    "2026-01-01'; drop table complaints.complaint; --",
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ maxLength: 12 }),
);
const idish = fc.oneof(fc.uuid(), fc.constantFrom('x', '', 'region-52.06', '\u0000', "' or 1=1 --"), fc.integer(), fc.constant(null));

/** A cursor: one the API issued earlier, a forged one of the right shape, or garbage. */
function cursor(pool: () => string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((n) => new Ref('issuedCursor', () => pickFrom(pool(), n) ?? null)) },
    { weight: 3, arbitrary: fc.tuple(dateish, idish).map((key) => base64url(JSON.stringify(key))) },
    { weight: 2, arbitrary: fc.tuple(fragments, fragments).map((key) => base64url(JSON.stringify(key))) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map(base64url) },
    { weight: 1, arbitrary: fc.constantFrom('', '====', 'bnVsbA', 'W10', 'e30', 'not a cursor', '%%%') },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: wrongType },
  );
}

/** Who calls: no token, an officer (often a relevant one), or a bearer string that is not a valid token. */
type AuthPlan =
  | { kind: 'none' }
  | { kind: 'officer'; role: Role; node: unknown }
  /** An officer of the node that holds the picked complaint, or that the picked escalation is addressed to. */
  | { kind: 'involved'; role: Role }
  | { kind: 'raw'; header: string }
  | { kind: 'forged'; how: 'wrong-secret' | 'alg-none' | 'expired' | 'tampered' | 'bad-role' | 'no-agency' };

const authPlan = (preferred: [Role, unknown][], involvedRoles: Role[] = []): fc.Arbitrary<AuthPlan> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...preferred).map(([role, node]): AuthPlan => ({ kind: 'officer', role, node })) },
    ...(involvedRoles.length ? [{ weight: 6, arbitrary: fc.constantFrom(...involvedRoles).map((role): AuthPlan => ({ kind: 'involved', role })) }] : []),
    { weight: 2, arbitrary: fc.record({ role: fc.constantFrom(...ROLES), node: nodeId() }).map(({ role, node }): AuthPlan => ({ kind: 'officer', role, node })) },
    { weight: 1, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom('Bearer', 'Bearer ', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer null', 'Token abc', 'bearer  x y', 'Bearer eyJhbGciOiJIUzI1NiJ9..'),
          fc.string({ unit: printableAscii, maxLength: 200 }).map((text) => `Bearer ${text}`),
          fc.string({ unit: printableAscii, maxLength: 60 }),
          fc.integer({ min: 1000, max: 6000 }).map((length) => `Bearer ${'A'.repeat(length)}`),
        )
        .map((header): AuthPlan => ({ kind: 'raw', header })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('wrong-secret', 'alg-none', 'expired', 'tampered', 'bad-role', 'no-agency')
        .map((how) => ({ kind: 'forged', how }) as AuthPlan),
    },
  );

async function authorization(plan: AuthPlan, context: BuildContext): Promise<string | undefined> {
  const claims = { sub: 'fuzz-officer', role: 'NATIONAL_ADMIN' as Role, agencyId: NATIONAL_ID };
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'raw':
      return plan.header;
    case 'officer': {
      const node = materialize(plan.node, context);
      return `Bearer ${await hub.token(plan.role, String(node))}`;
    }
    case 'involved': {
      const node = context.escalation?.toAgencyId ?? context.complaint?.holder ?? REGENCY;
      return `Bearer ${await hub.token(plan.role, node)}`;
    }
    case 'forged': {
      const enc = (value: object) => base64url(JSON.stringify(value));
      const now = Math.floor(Date.now() / 1000);
      switch (plan.how) {
        case 'wrong-secret':
          return `Bearer ${await signUserToken(claims, new TextEncoder().encode('not-the-secret'))}`;
        case 'alg-none':
          return `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc({ ...claims, iat: now, exp: now + 3600 })}.`;
        case 'expired':
          return `Bearer ${await signUserToken(claims, hub.secrets.jwtSecret, '1 hour ago')}`;
        case 'tampered': {
          const [header, , signature] = (await hub.token('LIAISON_OFFICER', REGENCY)).split('.');
          return `Bearer ${header}.${enc({ ...claims, iat: now, exp: now + 3600 })}.${signature}`;
        }
        case 'bad-role':
          return `Bearer ${await signUserToken({ ...claims, role: 'SUPERUSER' as Role }, hub.secrets.jwtSecret)}`;
        case 'no-agency':
          return `Bearer ${await signUserToken({ ...claims, agencyId: '' }, hub.secrets.jwtSecret)}`;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running a property
// ---------------------------------------------------------------------------------------------

const RUN_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const runs = (n: number) => Math.max(1, Math.round(n * RUN_SCALE));

/** With FUZZ_REPORT_ALL=1 every failing request is listed at the end instead of stopping at the first (exploration). */
const REPORT_ALL = process.env.FUZZ_REPORT_ALL === '1';
const findings = new Map<string, string>();
const FINDINGS_FILE = join(tmpdir(), 'lapor-fuzz-findings.jsonl');

async function fuzz<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, run: (value: T) => Promise<void>): Promise<void> {
  const property = REPORT_ALL
    ? async (value: T) => {
        try {
          await run(value);
        } catch (error) {
          const [why, request, response] = (error as Error).message.split('\n');
          const key = `${why} | ${request?.split(' ')[1]} | ${response?.slice(0, 200)}`;
          const found = `${why}\n  ${request}\n  ${response?.slice(0, 400)}`;
          // Keep the shortest request of each kind of failure.
          if (!findings.has(key) || findings.get(key)!.length > found.length) findings.set(key, found);
          appendFileSync(FINDINGS_FILE, `${JSON.stringify({ why, request, response: response?.slice(0, 400) })}\n`);
        }
      }
    : run;
  await fc.assert(fc.asyncProperty(arbitrary, property), { numRuns: runs(numRuns), seed: SEED });
}

// Complaints picked by the status a call needs (the caller's mistake is chosen elsewhere).
const complaintsIn = (statuses: readonly Status[]) => [...book.complaints.values()].filter((complaint) => statuses.includes(complaint.status));

/** A complaint id: a real one (in a wanted status), a real one misspelt, a random UUID, or garbage. */
function complaintIdPlan(wanted: readonly Status[]): fc.Arbitrary<unknown> {
  const real = fc.record({ n: fc.nat(), any: fc.boolean() });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: real.map(
        ({ n, any }) =>
          new Ref(any ? 'anyRealComplaint' : `realComplaint(${wanted.join('|')})`, (context) => {
            const pool = any ? complaintsIn(STATUSES) : complaintsIn(wanted);
            context.complaint = pickFrom(pool.length ? pool : complaintsIn(STATUSES), n);
            return context.complaint?.id ?? null;
          }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ n: fc.nat(), how: fc.constantFrom('upper', 'braces', 'space', 'suffix', 'no-dashes') }).map(
        ({ n, how }) =>
          new Ref(`misspeltComplaint(${how})`, () => {
            const id = pickFrom(complaintsIn(STATUSES), n)?.id ?? '00000000-0000-0000-0000-000000000000';
            return { upper: id.toUpperCase(), braces: `{${id}}`, space: ` ${id}`, suffix: `${id}x`, 'no-dashes': id.replace(/-/g, '') }[how];
          }),
      ),
    },
    { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000')) },
    { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
  );
}

const currentVersion = new Ref('currentVersion', (context) => context.complaint?.version ?? 1);
const versionPlan: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(currentVersion) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 2, arbitrary: hostileInt },
  { weight: 1, arbitrary: fc.oneof(wrongType, hostileString) },
);
const notePlan = field(validText(2000), { valid: 3, hostile: 3, wrong: 1, missing: 4 });

const COMPLAINT = 'id trackingId status version';

/** Updates the tracked complaint from a successful lifecycle answer. */
function track(complaint: { id: string; status: Status; version: number; assignedAgency?: { id: string } | null }): void {
  const tracked = book.complaints.get(complaint.id);
  if (!tracked) throw new Error(`a complaint the test did not create: ${complaint.id}`);
  tracked.status = complaint.status;
  tracked.version = complaint.version;
  if (complaint.assignedAgency) tracked.holder = complaint.assignedAgency.id;
}

function expectStep(data: any, status: Status, input: { version?: unknown }): void {
  const complaint = data.complaint;
  expectThat(complaint && UUID.test(complaint.id), 'complaint.id is a UUID');
  expectThat(complaint.status === status, `status ${complaint.status}, expected ${status}`);
  const before = typeof input.version === 'number' ? input.version : book.complaints.get(complaint.id)?.version;
  if (typeof input.version === 'number') expectThat(complaint.version === before! + 1, `version ${complaint.version} after ${before}`);
  else expectThat(before !== undefined && complaint.version > before, `version ${complaint.version} after ${before}`);
}

async function lifecycleCall(
  operation: string,
  inputType: string,
  selection: string,
  plan: { input: unknown; auth: AuthPlan },
  onSuccess: (data: any, context: BuildContext, input: any) => void,
): Promise<void> {
  const context: BuildContext = {};
  const materialized = materialize(plan.input, context);
  const variables: Record<string, unknown> = materialized === undefined ? {} : { input: materialized };
  const sent: Sent = {
    operation,
    query: `mutation($input: ${inputType}!) { ${operation}(input: $input) { ${selection} } }`,
    variables,
    authorization: await authorization(plan.auth, context),
  };
  check(sent, await send(sent), operation, (data) => onSuccess(data, context, variables.input));
}

// ---------------------------------------------------------------------------------------------
// Setup: real nodes, complaints and an escalation, made through the API
// ---------------------------------------------------------------------------------------------

async function api(query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const { data, errors } = await hub.query(query, variables, token);
  if (errors) throw new Error(`setup: ${JSON.stringify(errors)}`);
  return data;
}

beforeAll(async () => {
  hub = await TestHub.start();
  const complaintIds = await hub.sql<{ id: string }>('complaints', 'select id from complaints.complaint');
  book.baseline.complaintIds = new Set(complaintIds.map((row) => row.id));
  const units = await hub.sql<{ id: string }>('agencies', `select id from agencies.agency where kind = 'UNIT'`);
  book.baseline.unitIds = new Set(units.map((row) => row.id));
  const [{ count }] = await hub.sql<{ count: number }>('escalation', 'select count(*)::int as count from escalation.escalation');
  book.baseline.escalations = count;
  const days = await hub.sql<{ date: string }>('complaints', `select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`);
  book.leaveDays = new Set(days.map((row) => row.date));
  book.categories = (await api('{ categories { id } }', {})).categories.map((category: { id: string }) => category.id);

  const national = await hub.token('NATIONAL_ADMIN', NATIONAL_ID);
  for (const name of ['Dinas Pekerjaan Umum', 'Inspektorat Daerah']) {
    const data = await api(`mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`, { input: { parentId: REGENCY, name } }, national);
    book.createdUnitIds.add(data.createAgencyUnit.agency.id);
  }
  [unitId, inspectorateId] = [...book.createdUnitIds];

  // Eight complaints: two SUBMITTED, two VERIFIED, three FORWARDED (one escalated), one FOLLOWED_UP.
  for (let i = 0; i < 8; i++) {
    const data = await api(
      `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { ${COMPLAINT} addressedAgency { id } } } }`,
      { input: { type: 'COMPLAINT', title: `Jembatan ambruk ${i}`, body: 'Jembatan gantung di Desa Sape ambruk.', channel: 'WEB', regionCode: '52.06' } },
    );
    const { complaint, reporterToken } = data.submitComplaint;
    book.complaints.set(complaint.id, { ...complaint, reporterToken, holder: complaint.addressedAgency.id });
  }
  const tracked = [...book.complaints.values()];
  for (const complaint of tracked.slice(2)) {
    const data = await api(`mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { ${COMPLAINT} } } }`, { input: { complaintId: complaint.id, version: complaint.version } }, national);
    track(data.verifyComplaint.complaint);
  }
  for (const complaint of tracked.slice(4)) {
    const data = await api(
      `mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { ${COMPLAINT} assignedAgency { id } } } }`,
      { input: { complaintId: complaint.id, version: complaint.version, agencyId: REGENCY } },
      national,
    );
    track(data.forwardComplaint.complaint);
  }
  const liaison = await hub.token('LIAISON_OFFICER', REGENCY);
  const last = tracked[7];
  const followedUp = await api(`mutation($input: PostFollowUpInput!) { postFollowUp(input: $input) { complaint { ${COMPLAINT} } } }`, { input: { complaintId: last.id, version: last.version, body: 'Sudah diperbaiki.' } }, liaison);
  track(followedUp.postFollowUp.complaint);
  const escalated = await api(
    `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id status reason toAgency { id } } } }`,
    { input: { complaintId: tracked[4].id, toAgencyId: PROVINCE, reason: 'HIGHER_AUTHORITY' } },
    liaison,
  );
  const escalation = escalated.escalateComplaint.escalation;
  book.escalations.set(escalation.id, { id: escalation.id, status: escalation.status, reason: escalation.reason, toAgencyId: escalation.toAgency.id });

  const firstPage = await api('{ agencies(first: 5) { pageInfo { endCursor } } }', {});
  book.agencyCursors.push(firstPage.agencies.pageInfo.endCursor);
  const inbox = await api(`{ agency(id: "${REGENCY}") { assignedComplaints(first: 1) { pageInfo { endCursor } } } }`, {}, national);
  book.complaintCursors.push(inbox.agency.assignedComplaints.pageInfo.endCursor);
});

afterAll(async () => {
  await hub?.stop();
});

const started = Date.now();

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe('fuzzing every mutation and the paged queries', () => {
  it('agencies(first, after, search, kind, parentId)', async () => {
    const plan = fc.record({
      first: field(fc.integer({ min: 0, max: 100 }), { valid: 5, hostile: 1, wrong: 1, missing: 2 }),
      firstEdge: hostileInt,
      useEdge: fc.boolean(),
      after: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: cursor(() => book.agencyCursors) }),
      search: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('bima', 'Kab', 'kementerian', 'NUSA', '%', '_', '\\') },
        { weight: 4, arbitrary: fc.oneof(hostileString, wrongType) },
      ),
      kind: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('NATIONAL', 'MINISTRY', 'PROVINCE', 'REGENCY', 'CITY', 'UNIT') },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('unit', 'DROP', 'UNIT ', ''), wrongType) },
      ),
      parentId: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.oneof(hostileString, wrongType) }),
      auth: authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', REGENCY]]),
    });
    await fuzz(plan, 250, async (value) => {
      const context: BuildContext = {};
      const variables = materialize(
        { first: value.useEdge ? value.firstEdge : value.first, after: value.after, search: value.search, kind: value.kind, parentId: value.parentId },
        context,
      ) as Record<string, unknown>;
      const sent: Sent = {
        operation: 'agencies',
        query: `query($first: Int, $after: String, $search: String, $kind: AgencyKind, $parentId: ID) {
          agencies(first: $first, after: $after, search: $search, kind: $kind, parentId: $parentId) {
            totalCount edges { cursor node { id name kind } } pageInfo { hasNextPage endCursor } } }`,
        variables,
        authorization: await authorization(value.auth, context),
      };
      const data = check(sent, await send(sent), 'agencies', (page: any) => {
        expectThat(Array.isArray(page.edges), 'edges is a list');
        const first = (variables.first ?? 20) as number;
        expectThat(page.edges.length <= first, `${page.edges.length} edges for first: ${first}`);
        expectThat(Number.isInteger(page.totalCount) && page.totalCount >= 0, 'totalCount is a count');
        expectThat(typeof page.pageInfo.hasNextPage === 'boolean', 'hasNextPage is a boolean');
        for (const edge of page.edges) expectThat(typeof edge.cursor === 'string' && typeof edge.node.id === 'string', 'edges carry cursors and nodes');
      });
      if (data?.pageInfo.endCursor && book.agencyCursors.length < 50) book.agencyCursors.push(data.pageInfo.endCursor);
    });
  });

  it('createAgencyUnit', async () => {
    const validName = fc.oneof(
      fc.constantFrom('Dinas Kesehatan', 'Biro Hukum', 'Inspektorat', 'Dinas Pendidikan dan Kebudayaan'),
      fc.tuple(fc.constantFrom('Dinas', 'Biro', 'Bagian', 'Unit'), fc.string({ unit: alnum, minLength: 3, maxLength: 12 })).map(([kind, word]) => `${kind} ${word}`),
      fc.tuple(validText(150), fc.string({ unit: alnum, minLength: 2, maxLength: 8 })).map(([text, word]) => `${word} ${text}`.slice(0, 200)),
    );
    const valid = fc.record({
      parentId: fc.constantFrom(REGENCY, PROVINCE, MINISTRY, OTHER_PROVINCE, NATIONAL_ID),
      name: validName,
      acronym: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ unit: alnum, minLength: 1, maxLength: 10 }), validText(50)),
    });
    const fuzzed = fc.record({
      parentId: field(nodeId()),
      name: field(validName),
      acronym: field(fc.string({ unit: alnum, maxLength: 10 })),
    });
    const plan = fc.record({
      input: inputOf(valid, fuzzed),
      auth: authPlan([
        ['NATIONAL_ADMIN', NATIONAL_ID],
        ['NATIONAL_ADMIN', NATIONAL_ID],
        ['AGENCY_ADMIN', REGENCY],
        ['AGENCY_ADMIN', PROVINCE],
        ['AGENCY_ADMIN', MINISTRY],
        ['LIAISON_OFFICER', REGENCY],
      ]),
    });
    await fuzz(plan, 200, (value) =>
      lifecycleCall('createAgencyUnit', 'CreateAgencyUnitInput', 'agency { id name acronym kind timeZone parent { id } }', value, (data, _context, input) => {
        const agency = data.agency;
        expectThat(agency.kind === 'UNIT', 'a UNIT');
        expectThat(agency.parent?.id === input.parentId && agency.id.startsWith(`${input.parentId}.unit-`), `id ${agency.id} under ${input.parentId}`);
        expectThat(/^[a-z0-9-]+$/.test(agency.id.slice(input.parentId.length + '.unit-'.length)), `slug of ${agency.id}`);
        expectThat(agency.name === input.name.trim(), 'the name as sent, trimmed');
        expectThat(!book.createdUnitIds.has(agency.id), `${agency.id} created twice`);
        book.createdUnitIds.add(agency.id);
      }),
    );
  });

  it('addCollectiveLeaveDay and removeCollectiveLeaveDay', async () => {
    const validDate = fc.oneof(
      fc.constantFrom('2040-01-02', '2040-01-03', '2041-12-24', '2024-02-29', '9999-12-31', '1999-12-31'),
      fc.date({ min: new Date('2035-01-01T00:00:00Z'), max: new Date('2045-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    );
    const badDate = fc.constantFrom(
      '2026-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-1-1',
      '20260101',
      '2026-01-01T00:00:00Z',
      '+012026-01-01',
      ' 2026-01-01',
      '2026-01-01\u0000',
      '２０２６-０１-０１',
      '10000-01-01',
      'today',
    );
    const date = fc.oneof({ weight: 6, arbitrary: validDate }, { weight: 3, arbitrary: badDate }, { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) }, { weight: 1, arbitrary: fc.constant(undefined) });
    const valid = fc.record({ date: validDate, description: validText(200) });
    const fuzzed = fc.record({ date, description: field(validText(200)) });
    const plan = fc.record({
      remove: fc.boolean(),
      input: inputOf(valid, fuzzed),
      auth: authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', REGENCY], ['DASHBOARD', NATIONAL_ID]]),
    });
    await fuzz(plan, 250, async (value) => {
      if (!value.remove) {
        await lifecycleCall('addCollectiveLeaveDay', 'AddCollectiveLeaveDayInput', 'day { date description }', value, (data, _context, input) => {
          expectThat(data.day.date === input.date, `date ${data.day.date}`);
          expectThat(data.day.description === input.description.trim(), 'the description as sent, trimmed');
          book.leaveDays.add(input.date);
        });
      } else {
        const input = value.input && typeof value.input === 'object' && !Array.isArray(value.input) ? { ...(value.input as object), description: undefined } : value.input;
        await lifecycleCall('removeCollectiveLeaveDay', 'RemoveCollectiveLeaveDayInput', 'date removed', { ...value, input }, (data, _context, sent) => {
          expectThat(data.date === sent.date, `date ${data.date}`);
          expectThat(data.removed === book.leaveDays.has(sent.date), `removed: ${data.removed} for ${sent.date}`);
          book.leaveDays.delete(sent.date);
        });
      }
    });
  });

  it('submitComplaint', async () => {
    const categoryId = fc.nat().map((n) => new Ref('realCategory', () => pickFrom(book.categories, n)));
    const idempotencyKey = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('fuzz-key-0001', 'fuzz-key-0002', 'fuzz-key-0003') },
      { weight: 1, arbitrary: fc.string({ unit: printableAscii, minLength: 8, maxLength: 100 }) },
    );
    const reporter = fc.record(
      {
        name: validText(200),
        email: fc.oneof(fc.emailAddress(), fc.constant(null)),
        phone: fc.oneof(fc.stringMatching(/^\+?[0-9]{6,15}$/), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const valid = fc.record(
      {
        type: fc.constantFrom('COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST'),
        title: validText(200),
        body: fc.oneof(validText(4000), validText(3000).map((text) => `${text}\n\tBaris kedua\r\n`)),
        channel: fc.constantFrom('WEB', 'SMS', 'MOBILE', 'SOCIAL_MEDIA', 'LETTER', 'WALK_IN'),
        regionCode: fc.oneof(fc.constantFrom('52', '52.06', '31.71', ' 52.06 '), fc.constant(null)),
        categoryId: fc.oneof(categoryId, fc.constant(null)),
        addressedAgencyId: fc.oneof(fc.constantFrom(NATIONAL_ID, REGENCY, MINISTRY), fc.constant(null)),
        anonymous: fc.boolean(),
        confidential: fc.boolean(),
        reporter: fc.oneof(reporter, fc.constant(null)),
        idempotencyKey,
      },
      { requiredKeys: ['type', 'title', 'body', 'channel'] },
    );
    const fuzzed = fc.record({
      type: field(fc.constantFrom('COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST', 'complaint', 'PENGADUAN')),
      title: field(validText(200)),
      body: field(validText(4000)),
      channel: field(fc.constantFrom('WEB', 'SMS', 'FAX', 'web')),
      regionCode: field(fc.constantFrom('52', '52.06', '99', '99.99', '52.6', '5206', '52.06.01')),
      categoryId: field(fc.oneof(categoryId, fc.constantFrom('NO_SUCH', 'health'))),
      addressedAgencyId: field(nodeId()),
      anonymous: field(fc.boolean()),
      confidential: field(fc.boolean()),
      reporter: field(
        fc.record({
          name: field(validText(200)),
          email: field(fc.oneof(fc.emailAddress(), fc.constantFrom('not-an-email', 'a@b', '"><script>@x.id'))),
          phone: field(fc.constantFrom('+6281234567890', '0812', '+62 812', '08123456789012345678', '١٢٣٤٥٦٧')),
        }),
      ),
      idempotencyKey: field(idempotencyKey),
    });
    const plan = fc.record({
      input: inputOf(valid, fuzzed),
      auth: fc.oneof({ weight: 6, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) }, { weight: 3, arbitrary: authPlan([['LIAISON_OFFICER', REGENCY], ['NATIONAL_ADMIN', NATIONAL_ID]]) }),
    });
    await fuzz(plan, 400, (value) =>
      lifecycleCall(
        'submitComplaint',
        'SubmitComplaintInput',
        `reporterToken complaint { ${COMPLAINT} title body anonymous confidential addressedAgency { id } }`,
        value,
        (data, _context, input) => {
          const complaint = data.complaint;
          expectThat(UUID.test(complaint.id), 'complaint.id is a UUID');
          expectThat(/^LPR-[0-9A-Z]{10}$/.test(complaint.trackingId), `tracking id ${complaint.trackingId}`);
          expectThat(typeof data.reporterToken === 'string' && data.reporterToken.length >= 16, 'a reporter token');
          const known = book.complaints.get(complaint.id);
          if (known) {
            // A retry with the same idempotency key and content: the first complaint, nothing new.
            expectThat(input.idempotencyKey && data.reporterToken === known.reporterToken, `complaint ${complaint.id} answered twice`);
            return;
          }
          expectThat(complaint.status === 'SUBMITTED' && complaint.version === 1, 'a new SUBMITTED complaint at version 1');
          expectThat(complaint.title === input.title.trim(), 'the title as sent, trimmed');
          expectThat(complaint.body === input.body.trim(), 'the body as sent, trimmed');
          expectThat(complaint.anonymous === (input.anonymous ?? false) && complaint.confidential === (input.confidential ?? false), 'the flags as sent');
          book.complaints.set(complaint.id, { ...complaint, reporterToken: data.reporterToken, holder: complaint.addressedAgency.id });
        },
      ),
    );
  });

  const screeningAuth = authPlan(
    [
      ['NATIONAL_ADMIN', NATIONAL_ID],
      ['NATIONAL_ADMIN', NATIONAL_ID],
      ['AGENCY_ADMIN', REGENCY],
      ['LIAISON_OFFICER', REGENCY],
      ['AGENCY_ADMIN', MINISTRY],
    ],
    ['AGENCY_ADMIN', 'AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR', 'DASHBOARD'],
  );

  it('verifyComplaint', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['SUBMITTED']), version: fc.constant(currentVersion), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['SUBMITTED']), version: versionPlan, note: notePlan });
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 250, (value) =>
      lifecycleCall('verifyComplaint', 'VerifyComplaintInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(data, 'VERIFIED', input);
        track(data.complaint);
      }),
    );
  });

  it('forwardComplaint', async () => {
    const target = fc.oneof({ weight: 5, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.constant(new Ref('holder', (context) => context.complaint?.holder ?? REGENCY)) });
    const valid = fc.record({ complaintId: complaintIdPlan(['VERIFIED', 'FORWARDED']), version: fc.constant(currentVersion), agencyId: target, note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['VERIFIED', 'FORWARDED']), version: versionPlan, agencyId: field(target), note: notePlan });
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 250, (value) =>
      lifecycleCall('forwardComplaint', 'ForwardComplaintInput', `complaint { ${COMPLAINT} assignedAgency { id } }`, value, (data, _context, input) => {
        expectStep(data, 'FORWARDED', input);
        expectThat(data.complaint.assignedAgency?.id === input.agencyId.trim(), `assigned to ${data.complaint.assignedAgency?.id}`);
        track(data.complaint);
      }),
    );
  });

  it('postFollowUp', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['FORWARDED']), version: fc.constant(currentVersion), body: validText(4000), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['FORWARDED']), version: versionPlan, body: field(validText(4000)), note: notePlan });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['LIAISON_OFFICER', REGENCY], ['AGENCY_SYSTEM', REGENCY]], ['LIAISON_OFFICER', 'AGENCY_ADMIN', 'AGENCY_SYSTEM', 'INSPECTOR', 'DASHBOARD']);
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth }), 250, (value) =>
      lifecycleCall('postFollowUp', 'PostFollowUpInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(data, 'FOLLOWED_UP', input);
        track(data.complaint);
      }),
    );
  });

  it('replyToComplaint', async () => {
    const real = (what: 'trackingId' | 'reporterToken') =>
      new Ref(`${what}OfPickedComplaint`, (context) => {
        if (!context.complaint) context.complaint = pickFrom(complaintsIn(['FOLLOWED_UP']), 0) ?? pickFrom(complaintsIn(STATUSES), 0);
        return context.complaint?.[what] ?? null;
      });
    const pick = fc.record({ n: fc.nat(), any: fc.boolean() }).map(
      ({ n, any }) =>
        new Ref(any ? 'anyRealComplaint' : 'followedUpComplaint', (context) => {
          const pool = any ? complaintsIn(STATUSES) : complaintsIn(['FOLLOWED_UP']);
          context.complaint = pickFrom(pool.length ? pool : complaintsIn(STATUSES), n);
          return undefined;
        }),
    );
    const trackingId = fc.oneof(
      { weight: 6, arbitrary: fc.constant(real('trackingId')) },
      { weight: 1, arbitrary: fc.constant(new Ref('trackingIdLowerCase', (context) => (real('trackingId').resolve(context) as string | null)?.toLowerCase() ?? null)) },
      { weight: 1, arbitrary: fc.constantFrom('LPR-0000000000', 'LPR-', "LPR-' or 1=1 --", 'lpr-%', 'LPR-_________') },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const reporterToken = fc.oneof(
      { weight: 6, arbitrary: fc.constant(real('reporterToken')) },
      { weight: 1, arbitrary: fc.constant(new Ref('someoneElsesToken', () => pickFrom(complaintsIn(STATUSES), 1)?.reporterToken ?? null)) },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const valid = fc.record({ pick, trackingId: fc.constant(real('trackingId')), reporterToken: fc.constant(real('reporterToken')), body: validText(4000), satisfied: fc.boolean() });
    const fuzzed = fc.record({ pick, trackingId, reporterToken, body: field(validText(4000)), satisfied: field(fc.boolean()) });
    // The pick is resolved first (it is the first key) and leaves nothing in the input.
    const plan = fc.record({ input: inputOf(valid, fuzzed), auth: fc.oneof({ weight: 4, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) }, { weight: 1, arbitrary: authPlan([['NATIONAL_ADMIN', NATIONAL_ID]]) }) });
    await fuzz(plan, 200, (value) =>
      lifecycleCall('replyToComplaint', 'ReplyToComplaintInput', `complaint { ${COMPLAINT} }`, value, (data, _context, input) => {
        expectStep(data, input.satisfied ? 'CLOSED' : 'FORWARDED', input);
        track(data.complaint);
      }),
    );
  });

  it('escalateComplaint', async () => {
    const reason = fc.constantFrom('WRONG_AGENCY', 'HIGHER_AUTHORITY', 'SUPERVISORY', 'NEEDS_COORDINATION', 'REPORTER_DISPUTE');
    const valid = fc.record({ complaintId: complaintIdPlan(['FORWARDED', 'FOLLOWED_UP']), toAgencyId: nodeId(), reason, note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({
      complaintId: complaintIdPlan(['FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'SUBMITTED']),
      toAgencyId: field(nodeId()),
      reason: field(fc.oneof(reason, fc.constantFrom('SLA_BREACH', 'wrong_agency', 'OTHER', ''))),
      note: notePlan,
    });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['LIAISON_OFFICER', REGENCY], ['AGENCY_ADMIN', REGENCY]], ['LIAISON_OFFICER', 'AGENCY_ADMIN', 'INSPECTOR', 'AGENCY_SYSTEM']);
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth }), 250, (value) =>
      lifecycleCall('escalateComplaint', 'EscalateComplaintInput', 'escalation { id status reason complaint { id } fromAgency { id } toAgency { id } }', value, (data, _context, input) => {
        const escalation = data.escalation;
        expectThat(UUID.test(escalation.id) && escalation.status === 'OPEN', 'a new OPEN escalation');
        expectThat(escalation.reason === input.reason && escalation.complaint.id === input.complaintId.toLowerCase(), 'the escalation as sent');
        expectThat(!book.escalations.has(escalation.id), `escalation ${escalation.id} created twice`);
        book.escalations.set(escalation.id, { id: escalation.id, status: 'OPEN', reason: escalation.reason, toAgencyId: escalation.toAgency.id });
      }),
    );
  });

  it('respondToEscalation', async () => {
    const escalationId = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({ n: fc.nat(), open: fc.boolean() }).map(
          ({ n, open }) =>
            new Ref(open ? 'openEscalation' : 'anyEscalation', (context) => {
              const all = [...book.escalations.values()];
              const pool = open ? all.filter((escalation) => escalation.status === 'OPEN') : all;
              context.escalation = pickFrom(pool.length ? pool : all, n);
              return context.escalation?.id ?? null;
            }),
        ),
      },
      { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.nat().map((n) => new Ref('aComplaintIdInstead', () => pickFrom(complaintsIn(STATUSES), n)?.id ?? null))) },
      { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
    );
    const valid = fc.record({ escalationId, accept: fc.boolean(), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ escalationId, accept: field(fc.boolean()), note: notePlan });
    const auth = authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', PROVINCE], ['AGENCY_ADMIN', MINISTRY]], ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR', 'AGENCY_SYSTEM']);
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth }), 200, (value) =>
      lifecycleCall('respondToEscalation', 'RespondToEscalationInput', 'escalation { id status reason toAgency { id } reassignment }', value, (data, context, input) => {
        const escalation = data.escalation;
        expectThat(escalation.status === (input.accept ? 'ACCEPTED' : 'DECLINED'), `status ${escalation.status}`);
        const tracked = book.escalations.get(escalation.id);
        expectThat(tracked && tracked.status === 'OPEN', `escalation ${escalation.id} answered while ${tracked?.status}`);
        expectThat(context.escalation?.id === escalation.id, 'the escalation that was sent');
        tracked.status = escalation.status;
        if (escalation.status === 'DECLINED' && escalation.reason === 'WRONG_AGENCY' && escalation.toAgency.id !== NATIONAL_ID) book.successorEscalations++;
      }),
    );
  });

  it('rejectComplaint', async () => {
    const valid = fc.record({ complaintId: complaintIdPlan(['SUBMITTED', 'VERIFIED']), version: fc.constant(currentVersion), reason: validText(2000), note: fc.oneof(fc.constant(undefined), validText(2000)) });
    const fuzzed = fc.record({ complaintId: complaintIdPlan(['SUBMITTED', 'VERIFIED']), version: versionPlan, reason: field(validText(2000)), note: notePlan });
    await fuzz(fc.record({ input: inputOf(valid, fuzzed), auth: screeningAuth }), 150, (value) =>
      lifecycleCall('rejectComplaint', 'RejectComplaintInput', `complaint { ${COMPLAINT} rejectionReason }`, value, (data, _context, input) => {
        expectStep(data, 'REJECTED', input);
        expectThat(data.complaint.rejectionReason === input.reason.trim(), 'the reason as sent, trimmed');
        track(data.complaint);
      }),
    );
  });

  it('Agency.assignedComplaints(first, after, status, overdue)', async () => {
    const plan = fc.record({
      id: fc.oneof({ weight: 6, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.oneof(hostileString, wrongType) }),
      first: field(fc.integer({ min: 0, max: 100 }), { valid: 5, hostile: 1, wrong: 1, missing: 2 }),
      firstEdge: hostileInt,
      useEdge: fc.boolean(),
      after: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: cursor(() => book.complaintCursors) }),
      status: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('submitted', 'OPEN', ''), wrongType) }),
      overdue: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('true', 'yes', 1, 0)) }),
      auth: authPlan(
        [
          ['NATIONAL_ADMIN', NATIONAL_ID],
          ['AGENCY_ADMIN', REGENCY],
          ['LIAISON_OFFICER', REGENCY],
          ['INSPECTOR', REGENCY],
          ['AGENCY_ADMIN', PROVINCE],
          ['DASHBOARD', NATIONAL_ID],
        ],
        [],
      ),
    });
    await fuzz(plan, 250, async (value) => {
      const context: BuildContext = {};
      const variables = materialize(
        { id: value.id, first: value.useEdge ? value.firstEdge : value.first, after: value.after, status: value.status, overdue: value.overdue },
        context,
      ) as Record<string, unknown>;
      const sent: Sent = {
        operation: 'agency',
        query: `query($id: ID!, $first: Int, $after: String, $status: ComplaintStatus, $overdue: Boolean) {
          agency(id: $id) { id assignedComplaints(first: $first, after: $after, status: $status, overdue: $overdue) {
            totalCount edges { cursor node { id status overdue } } pageInfo { hasNextPage endCursor } } } }`,
        variables,
        authorization: await authorization(value.auth, context),
      };
      const answer = await send(sent);
      check(
        sent,
        answer,
        'agency',
        (node) => {
        if (node === null) return;
        const page = node.assignedComplaints;
        expectThat(page, 'a connection');
        const first = (variables.first ?? 20) as number;
        expectThat(page.edges.length <= first, `${page.edges.length} edges for first: ${first}`);
        expectThat(Number.isInteger(page.totalCount) && page.totalCount >= page.edges.length - 0, 'totalCount is a count');
        for (const edge of page.edges) {
          expectThat(UUID.test(edge.node.id), 'complaint ids');
          if (variables.status) expectThat(edge.node.status === variables.status, `status filter: ${edge.node.status}`);
          if (typeof variables.overdue === 'boolean') expectThat(edge.node.overdue === variables.overdue, 'overdue filter');
        }
        },
        // A refused list comes with its agency (the list itself is null): partial data.
        true,
      );
      const endCursor = answer.body?.data?.agency?.assignedComplaints?.pageInfo?.endCursor;
      if (endCursor && book.complaintCursors.length < 50) book.complaintCursors.push(endCursor);
    });
  });

  it('answers bodies over the limit or not JSON at all with a coded error, never an HTML stack page', async () => {
    const submit = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`;
    // 200k NUL characters: 1.2 MB once escaped in JSON, over the gateway's 1 MiB limit.
    const oversized: Sent = { operation: 'submitComplaint', query: submit, variables: { input: { type: 'COMPLAINT', title: '\u0000'.repeat(200_000), body: 'x', channel: 'WEB' } } };
    const answer = await send(oversized);
    expect(answer.status).toBe(413);
    check(oversized, answer, 'submitComplaint', () => undefined);
    for (const body of ['{"query": "{ categories { id } }"', 'not json', '[]', '{"query": 42}', '{"query": "{ categories { id } }", "variables": "x"}']) {
      const response = await fetch(hub.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const raw: Answer = { status: response.status, text: await response.text(), body: undefined };
      try {
        raw.body = JSON.parse(raw.text);
      } catch {
        // checked below: not JSON is a failure
      }
      stats.requests++;
      check({ operation: 'raw', query: body, variables: {} }, raw, 'categories', () => undefined, true);
    }
  });

  it('stored exactly what the accepted calls created, and nothing for the refused ones', async () => {
    // Let the outbox relay finish delivering accepted escalations (it changes complaints, never counts).
    const complaintIds = (await hub.sql<{ id: string }>('complaints', 'select id from complaints.complaint')).map((row) => row.id);
    const created = complaintIds.filter((id) => !book.baseline.complaintIds.has(id)).sort();
    expect(created).toEqual([...book.complaints.keys()].sort());

    const unitIds = (await hub.sql<{ id: string }>('agencies', `select id from agencies.agency where kind = 'UNIT'`)).map((row) => row.id);
    expect(unitIds.filter((id) => !book.baseline.unitIds.has(id)).sort()).toEqual([...book.createdUnitIds].sort());

    const escalations = await hub.sql<{ id: string }>('escalation', 'select id from escalation.escalation');
    expect(escalations.length - book.baseline.escalations).toBe(book.escalations.size + book.successorEscalations);
    const stored = new Set(escalations.map((row) => row.id));
    expect([...book.escalations.keys()].filter((id) => !stored.has(id))).toEqual([]);

    const days = await hub.sql<{ date: string }>('complaints', `select to_char("date", 'YYYY-MM-DD') as date from complaints.collective_leave_day`);
    expect(days.map((row) => row.date).sort()).toEqual([...book.leaveDays].sort());

    // Each complaint's status and version as the test last saw them (nothing changed behind a refusal).
    const rows = await hub.sql<{ id: string; status: string; version: number }>('complaints', 'select id, status, version from complaints.complaint');
    const accepted = new Set(
      (await hub.sql<{ complaint_id: string }>('escalation', `select complaint_id from escalation.escalation where status = 'ACCEPTED'`)).map((row) => row.complaint_id),
    );
    for (const row of rows) {
      const tracked = book.complaints.get(row.id);
      // An accepted escalation is applied by the relay, after the answer: those may have moved on.
      if (!tracked || accepted.has(row.id)) continue;
      expect({ id: row.id, status: row.status, version: row.version }).toEqual({ id: row.id, status: tracked.status, version: tracked.version });
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const lines = [...stats.byOperation.entries()].map(
      ([operation, { sent, ok, codes }]) => `  ${operation}: ${sent} sent, ${ok} accepted, errors ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    console.log(`fuzz: ${stats.requests} requests in ${seconds}s\n${lines.join('\n')}`);
    if (REPORT_ALL) console.log(`findings:\n${[...findings.values()].join('\n')}`);
  });
});

/** Sends one request and applies the fuzzer's property to the answer (partial data allowed). */
async function expectCodedAnswer(operation: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const sent: Sent = { operation, query, variables, authorization: token ? `Bearer ${token}` : undefined };
  return check(sent, await send(sent), operation, () => undefined, true);
}

const AGENCIES = `query($first: Int, $after: String, $search: String, $parentId: ID) {
  agencies(first: $first, after: $after, search: $search, parentId: $parentId) { totalCount edges { node { id } } } }`;
const ASSIGNED = `query($id: ID!, $first: Int, $after: String) { agency(id: $id) { assignedComplaints(first: $first, after: $after) { totalCount } } }`;

/**
 * Inputs the fuzzer found answering INTERNAL_SERVER_ERROR while it was written (each fixed since in
 * the product), kept as regressions with the exact input it reported.
 */
describe('findings of the fuzzer, fixed: regressions', () => {
  const national = () => hub.token('NATIONAL_ADMIN', NATIONAL_ID);

  it.each([
    // A NUL byte in text reaching PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00").
    ['agencies(search: "\\u0000")', 'agencies', AGENCIES, { first: 0, after: 'W10', search: '\u0000' }],
    ['agencies(parentId: "\\u0000")', 'agencies', AGENCIES, { parentId: '\u0000' }],
    ['agencies(after: base64url(["\\u0000",586165209]))', 'agencies', AGENCIES, { first: 2, after: 'WyJcdTAwMDAiLDU4NjE2NTIwOV0' }],
    ['agency(id: "…\\u0000…")', 'agency', `query($id: ID!) { agency(id: $id) { id } }`, { id: 'ᬅᬓ᭄ᬱᬭ\u0000#{7*7}$2::text\b' }],
    [
      'replyToComplaint(trackingId: "LPR-\\u0000")',
      'replyToComplaint',
      `mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { id } } }`,
      { input: { trackingId: 'LPR-\u0000', reporterToken: 'x', body: 'Terima kasih', satisfied: true } },
    ],
    [
      'createAgencyUnit(parentId: "\\u0000")',
      'createAgencyUnit',
      `mutation($input: CreateAgencyUnitInput!) { createAgencyUnit(input: $input) { agency { id } } }`,
      { input: { parentId: '\u0000', name: 'Dinas Kesehatan' } },
    ],
    // Cursor times that pass Date.parse but not PostgreSQL's timestamptz.
    ['assignedComplaints(after: ["+143843-08-22T21:47:27.532Z", uuid])', 'agency', ASSIGNED, { id: REGENCY, first: 58, after: 'WyIrMTQzODQzLTA4LTIyVDIxOjQ3OjI3LjUzMloiLCIwMDAwMDAwMy0xY2Y0LTc3MzctOWQyNi0wMTU3ZTdjZmMwYzIiXQ' }],
    ['assignedComplaints(after: ["1", uuid])', 'agency', ASSIGNED, { id: REGENCY, after: base64url(JSON.stringify(['1', '00000000-0000-4000-8000-000000000000'])) }],
    ['assignedComplaints(after: ["2026-02-30T00:00:00.000Z", uuid])', 'agency', ASSIGNED, { id: REGENCY, after: base64url(JSON.stringify(['2026-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])) }],
    [
      'incomingEscalations(after: ["0000-01-01T00:00:00.000Z", uuid])',
      'agency',
      `query($id: ID!, $after: String) { agency(id: $id) { incomingEscalations(after: $after) { totalCount } } }`,
      { id: PROVINCE, after: base64url(JSON.stringify(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])) },
    ],
    // Year 0000 passed `z.iso.date()` and PostgreSQL's date type refused it.
    [
      'addCollectiveLeaveDay(date: "0000-01-01")',
      'addCollectiveLeaveDay',
      `mutation($input: AddCollectiveLeaveDayInput!) { addCollectiveLeaveDay(input: $input) { day { date } } }`,
      { input: { date: '0000-01-01', description: "'; drop table complaints.complaint; --" } },
    ],
    [
      'removeCollectiveLeaveDay(date: "0000-01-01")',
      'removeCollectiveLeaveDay',
      `mutation($input: RemoveCollectiveLeaveDayInput!) { removeCollectiveLeaveDay(input: $input) { removed } }`,
      { input: { date: '0000-01-01' } },
    ],
  ])('%s answers with a public code', async (_name, operation, query, variables) => {
    await expectCodedAnswer(operation, query, variables, await national());
  });

  // Years 0001–0099 were stored, and then WorkingCalendar (Date.UTC maps years 0–99 to 1900–1999)
  // threw on every call that loads the calendar, until the day was removed.
  it('a collective leave day in year 0001 does not break the calendar for later calls', async () => {
    const day = (operation: 'add' | 'remove', input: object) =>
      expectCodedAnswer(
        `${operation}CollectiveLeaveDay`,
        `mutation($input: ${operation === 'add' ? 'Add' : 'Remove'}CollectiveLeaveDayInput!) { ${operation}CollectiveLeaveDay(input: $input) { __typename } }`,
        { input },
        token,
      );
    const token = await national();
    await day('add', { date: '0001-01-01', description: 'Tahun pertama' });
    try {
      await expectCodedAnswer(
        'submitComplaint',
        `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`,
        { input: { type: 'COMPLAINT', title: 'Jalan rusak', body: 'Jalan di depan pasar rusak.', channel: 'WEB' } },
      );
    } finally {
      await day('remove', { date: '0001-01-01' });
    }
  });

  // A note with a lone surrogate ("\ud800", valid in JSON) was copied into the outbox event's
  // jsonb payload, which PostgreSQL refused ("unsupported Unicode escape sequence").
  it('respondToEscalation(accept: true, note: "\\uffff\\ud800Laporan…") answers with a public code', async () => {
    const token = await national();
    const { submitComplaint } = await api(
      `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { complaint { id } } }`,
      { input: { type: 'COMPLAINT', title: 'Jembatan ambruk', body: 'Jembatan gantung ambruk.', channel: 'WEB', regionCode: '52.06' } },
    );
    const complaintId = submitComplaint.complaint.id;
    await api(`mutation($input: VerifyComplaintInput!) { verifyComplaint(input: $input) { complaint { id } } }`, { input: { complaintId, version: 1 } }, token);
    await api(`mutation($input: ForwardComplaintInput!) { forwardComplaint(input: $input) { complaint { id } } }`, { input: { complaintId, version: 2, agencyId: REGENCY } }, token);
    const { escalateComplaint } = await api(
      `mutation($input: EscalateComplaintInput!) { escalateComplaint(input: $input) { escalation { id } } }`,
      { input: { complaintId, toAgencyId: PROVINCE, reason: 'HIGHER_AUTHORITY' } },
      await hub.token('LIAISON_OFFICER', REGENCY),
    );
    await expectCodedAnswer(
      'respondToEscalation',
      `mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id status } } }`,
      { input: { escalationId: escalateComplaint.escalation.id, accept: true, note: '\uffff\ud800Laporan jalan rusak di Desa Sape' } },
      await hub.token('AGENCY_ADMIN', PROVINCE),
    );
  });
});
