/**
 * The arbitraries: hostile text, wrong types, ids, cursors, ints and callers, and the plans a
 * property draws (values resolved only when a request is built, so that what fast-check prints
 * stays short and real ids are picked from what the world holds at that moment).
 */
import * as fc from 'fast-check';
import { ROLES, signUserToken, type Role } from '@lapor-hub/lib';
import { MINISTRY, NATIONAL_ID, OTHER_PROVINCE, PROVINCE, REGENCY, SIBLING, STATUSES, type FuzzWorld, type Status, type TrackedComplaint, type TrackedEscalation } from './world';

// Values resolved when a request is built

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
export class Ref {
  constructor(
    readonly label: string,
    readonly resolve: (context: BuildContext) => unknown,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

export interface BuildContext {
  world: FuzzWorld;
  complaint?: TrackedComplaint;
  escalation?: TrackedEscalation;
}

export function materialize(value: unknown, context: BuildContext): unknown {
  if (value instanceof Huge) return value.text();
  if (value instanceof Ref) return materialize(value.resolve(context), context);
  if (Array.isArray(value)) return value.map((item) => materialize(item, context));
  if (value && typeof value === 'object') {
    // fromEntries keeps a `__proto__` key as an own property, as JSON would.
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, materialize(inner, context)]));
  }
  return value;
}

export const pickFrom = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

// Arbitraries

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

export const printableAscii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
export const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));

/** Short hostile text: SQL, HTML, control characters, mixed scripts, random code points. */
export const fragments = fc
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

export const hostileString: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fragments },
  { weight: 2, arbitrary: withNul },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\t\n') },
);

/** Values of the wrong type for whatever field they land in. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
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
export function field(valid: fc.Arbitrary<unknown>, weights = { valid: 6, hostile: 3, wrong: 1, missing: 1 }): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: weights.valid, arbitrary: valid },
    { weight: weights.hostile, arbitrary: hostileString },
    { weight: weights.wrong, arbitrary: wrongType },
    { weight: weights.missing, arbitrary: fc.constant(undefined) },
  );
}

/** A whole input: valid, fuzzed field by field (sometimes with an unknown key), or not an object at all. */
export function inputOf(valid: fc.Arbitrary<Record<string, unknown>>, fuzzed: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
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
export function validText(max: number): fc.Arbitrary<string> {
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

export const nodeId = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(NATIONAL_ID, REGENCY, PROVINCE, SIBLING, MINISTRY, OTHER_PROVINCE) },
    { weight: 2, arbitrary: fc.constantFrom('unit', 'inspectorate').map((which) => new Ref(which, (context) => context.world.units[which])) },
    { weight: 1, arbitrary: fc.constantFrom('no-such-node', 'REGION-52.06', ' region-52.06', 'region-52.06 ', 'region-52.06.unit-', 'region-%', 'region-52.0_') },
  );

/** Ints for `version` and `first`: in range, at the edges, beyond 32 bits, or not ints at all. */
export const hostileInt: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, 101, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 1.5, -0, 1e308, -1e308),
  fc.constantFrom('10', 'NaN', 'Infinity', '-1', '0x10', '1e3', ''),
  fc.integer(),
);

export const base64url = (text: string) => Buffer.from(text).toString('base64url');
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
export function cursor(pool: () => string[]): fc.Arbitrary<unknown> {
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
export type AuthPlan =
  | { kind: 'none' }
  | { kind: 'officer'; role: Role; node: unknown }
  /** An officer of the node that holds the picked complaint, or that the picked escalation is addressed to. */
  | { kind: 'involved'; role: Role }
  | { kind: 'raw'; header: string }
  | { kind: 'forged'; how: 'wrong-secret' | 'alg-none' | 'expired' | 'tampered' | 'bad-role' | 'no-agency' };

export const authPlan = (preferred: [Role, unknown][], involvedRoles: Role[] = []): fc.Arbitrary<AuthPlan> =>
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

export async function authorization(plan: AuthPlan, context: BuildContext): Promise<string | undefined> {
  const claims = { sub: 'fuzz-officer', role: 'NATIONAL_ADMIN' as Role, agencyId: NATIONAL_ID };
  switch (plan.kind) {
    case 'none':
      return undefined;
    case 'raw':
      return plan.header;
    case 'officer': {
      const node = materialize(plan.node, context);
      return `Bearer ${await context.world.hub.token(plan.role, String(node))}`;
    }
    case 'involved': {
      const node = context.escalation?.toAgencyId ?? context.complaint?.holder ?? REGENCY;
      return `Bearer ${await context.world.hub.token(plan.role, node)}`;
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
          return `Bearer ${await signUserToken(claims, context.world.hub.secrets.jwtSecret, '1 hour ago')}`;
        case 'tampered': {
          const [header, , signature] = (await context.world.hub.token('LIAISON_OFFICER', REGENCY)).split('.');
          return `Bearer ${header}.${enc({ ...claims, iat: now, exp: now + 3600 })}.${signature}`;
        }
        case 'bad-role':
          return `Bearer ${await signUserToken({ ...claims, role: 'SUPERUSER' as Role }, context.world.hub.secrets.jwtSecret)}`;
        case 'no-agency':
          return `Bearer ${await signUserToken({ ...claims, agencyId: '' }, context.world.hub.secrets.jwtSecret)}`;
      }
    }
  }
}


/** A complaint id: a real one (in a wanted status), a real one misspelt, a random UUID, or garbage. */
export function complaintIdPlan(wanted: readonly Status[]): fc.Arbitrary<unknown> {
  const real = fc.record({ n: fc.nat(), any: fc.boolean() });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: real.map(
        ({ n, any }) =>
          new Ref(any ? 'anyRealComplaint' : `realComplaint(${wanted.join('|')})`, (context) => {
            const pool = any ? context.world.complaintsIn(STATUSES) : context.world.complaintsIn(wanted);
            context.complaint = pickFrom(pool.length ? pool : context.world.complaintsIn(STATUSES), n);
            return context.complaint?.id ?? null;
          }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ n: fc.nat(), how: fc.constantFrom('upper', 'braces', 'space', 'suffix', 'no-dashes') }).map(
        ({ n, how }) =>
          new Ref(`misspeltComplaint(${how})`, (context) => {
            const id = pickFrom(context.world.complaintsIn(STATUSES), n)?.id ?? '00000000-0000-0000-0000-000000000000';
            return { upper: id.toUpperCase(), braces: `{${id}}`, space: ` ${id}`, suffix: `${id}x`, 'no-dashes': id.replace(/-/g, '') }[how];
          }),
      ),
    },
    { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000')) },
    { weight: 2, arbitrary: fc.oneof(hostileString, wrongType) },
  );
}

export const currentVersion = new Ref('currentVersion', (context) => context.complaint?.version ?? 1);
export const versionPlan: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(currentVersion) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 2, arbitrary: hostileInt },
  { weight: 1, arbitrary: fc.oneof(wrongType, hostileString) },
);
export const notePlan = field(validText(2000), { valid: 3, hostile: 3, wrong: 1, missing: 4 });
