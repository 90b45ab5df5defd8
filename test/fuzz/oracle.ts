/**
 * The oracle: the property every answer must have, whatever was sent. An allowed HTTP status,
 * either a valid result or errors that all carry a public code (never INTERNAL_SERVER_ERROR), and
 * no stack trace or SQL in the raw text.
 */
import type { FuzzWorld } from './world';

/** With FUZZ_REPORT_ALL=1 every failing request is listed at the end instead of stopping at the first (exploration). */
export const REPORT_ALL = process.env.FUZZ_REPORT_ALL === '1';

export interface Sent {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  authorization?: string;
}

export interface Answer {
  status: number;
  text: string;
  body: any;
}

export async function send(world: FuzzWorld, sent: Sent): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sent.authorization !== undefined) headers.authorization = sent.authorization;
  const response = await fetch(world.hub.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: sent.query, variables: sent.variables }) });
  const text = await response.text();
  world.stats.requests++;
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
export function check(world: FuzzWorld, sent: Sent, answer: Answer, field: string, validate: (data: any) => void, partialData = false): any {
  const record = world.stats.byOperation.get(sent.operation) ?? { sent: 0, ok: 0, codes: new Map<string, number>() };
  world.stats.byOperation.set(sent.operation, record);
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
      if (REPORT_ALL && code === 'SERVICE_UNAVAILABLE') world.findings.set(`unavailable ${sent.operation}`, `note: SERVICE_UNAVAILABLE\n  ${describe_(sent)}`);
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

export function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
