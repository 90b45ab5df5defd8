import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AuthSecrets } from './auth';
import { parseEnv } from './config';

/** The hub's secrets, by the variable that sets each. */
export const SECRET_NAMES = ['JWT_SECRET', 'GATEWAY_SECRET', 'REPORTER_CONTACT_KEY', 'REPORTER_LINK_SECRET', 'SESSION_SECRET', 'ATTACHMENT_URL_SECRET'] as const;
/**
 * Secrets the hub no longer uses, still accepted (and ignored) in a secrets file generated before:
 * reporter tokens were derived from `REPORTER_TOKEN_SECRET`; they are random now.
 */
const RETIRED_SECRET_NAMES = ['REPORTER_TOKEN_SECRET'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Where a checkout keeps its data (the embedded PostgreSQL, the generated secrets) unless `DATA_DIR` says otherwise. */
export const DEFAULT_DATA_DIR = '.data';

const SECRET_BYTES = 32;

/** The file under `dataDir` that holds the secrets generated for a checkout. */
export function secretsFilePath(dataDir: string): string {
  return path.resolve(dataDir, 'secrets.json');
}

const sources = z.object({
  NODE_ENV: z.string().optional(),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  ...Object.fromEntries(SECRET_NAMES.map((name) => [name, z.string().optional()])),
});

/**
 * The secrets `names`, each from its environment variable. No secret has a value written in the
 * repository: outside production, one that is unset comes from `DATA_DIR/secrets.json`, whose
 * values are random and generated on the first start, so every process started from one checkout
 * (and `npm run token`) agrees on them. Each is independent: setting one leaves the others as
 * random as before. With `NODE_ENV=production` nothing is generated, and a secret that is not set
 * stops the process.
 */
export function secretsFromEnv<N extends SecretName>(names: readonly N[], env: NodeJS.ProcessEnv): Record<N, Uint8Array> {
  const config = parseEnv(sources, env) as z.output<typeof sources> & Partial<Record<SecretName, string>>;
  const unset = names.filter((name) => config[name] === undefined);
  if (unset.length > 0 && config.NODE_ENV === 'production') {
    throw new Error(`${unset.join(', ')} must be set when NODE_ENV=production`);
  }
  const generated = unset.length > 0 ? generatedSecrets(secretsFilePath(config.DATA_DIR)) : undefined;
  return Object.fromEntries(names.map((name) => [name, new TextEncoder().encode(config[name] ?? generated![name])])) as Record<N, Uint8Array>;
}

/**
 * What the gateway verifies and signs with: `JWT_JWKS_URL` (RS256 tokens from an identity provider)
 * or `JWT_SECRET`, and `GATEWAY_SECRET`; see `secretsFromEnv` for where unset secrets come from.
 */
export function authSecretsFromEnv(env: NodeJS.ProcessEnv): AuthSecrets {
  const { JWT_JWKS_URL: jwksUrl } = parseEnv(z.object({ JWT_JWKS_URL: z.url().optional() }), env);
  if (jwksUrl) return { jwtSecret: new Uint8Array(), jwksUrl, gatewaySecret: secretsFromEnv(['GATEWAY_SECRET'], env).GATEWAY_SECRET };
  const secrets = secretsFromEnv(['JWT_SECRET', 'GATEWAY_SECRET'], env);
  return { jwtSecret: secrets.JWT_SECRET, gatewaySecret: secrets.GATEWAY_SECRET };
}

const storedSecrets = z.object(Object.fromEntries([...SECRET_NAMES, ...RETIRED_SECRET_NAMES].map((name) => [name, z.string().min(1).optional()]))).strict();

/**
 * The checkout's generated secrets, created (mode 0600, in a directory created if missing) with
 * 32 random bytes each on first need. A file that others may read or write is refused rather than
 * used: it would be a published value again. Created by linking a complete file into place, so two
 * processes starting together agree on the one that got there first.
 */
function generatedSecrets(file: string): Record<SecretName, string> {
  const stored = readSecretsFile(file);
  if (stored && SECRET_NAMES.every((name) => stored[name] !== undefined)) return stored as Record<SecretName, string>;
  const complete = { ...Object.fromEntries(SECRET_NAMES.map((name) => [name, randomBytes(SECRET_BYTES).toString('base64url')])), ...stored };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temporary, `${JSON.stringify(complete, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // A file that lacks a secret (written by hand, or before a secret existed) is completed in place.
    if (stored) renameSync(temporary, file);
    else linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return readSecretsFile(file) as Record<SecretName, string>;
}

function readSecretsFile(file: string): Partial<Record<SecretName, string>> | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Windows reports no POSIX permissions to check.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`${file} is open to other users (mode ${(mode & 0o777).toString(8)}); make it private with: chmod 600 ${file}`);
  }
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    content = undefined;
  }
  const parsed = storedSecrets.safeParse(content);
  if (!parsed.success) throw new Error(`${file} must be a JSON object of ${SECRET_NAMES.join(', ')}`);
  return parsed.data as Partial<Record<SecretName, string>>;
}
