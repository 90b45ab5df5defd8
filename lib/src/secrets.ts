import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AuthSecrets, GatewayPublicKeys, ServiceSecrets } from './auth';
import { parseEnv } from './config';
import { checkSigningKeys, generateSigningJwk, publicJwks, signingJwkSchema, type SigningJwk, type SigningKeys } from './keys';

/** The hub's random secrets, by the variable that sets each. */
export const SECRET_NAMES = ['JWT_SECRET', 'REPORTER_CONTACT_KEY', 'REPORTER_LINK_SECRET', 'SESSION_SECRET', 'ATTACHMENT_URL_SECRET', 'WEBHOOK_SECRET_KEY'] as const;
/**
 * The hub's private signing keys (Ed25519 JWKs), by the variable that sets each: the gateway's
 * (its credentials to every subgraph) and the hub services' (their calls to one another). Each may
 * have a `<NAME>_NEXT`, published before it signs (see SECURITY.md, "Rotating a signing key"),
 * which is never generated.
 */
export const SIGNING_KEY_NAMES = ['GATEWAY_SIGNING_KEY', 'SERVICE_SIGNING_KEY'] as const;
export type SigningKeyName = (typeof SIGNING_KEY_NAMES)[number];
/**
 * Secrets the hub no longer uses, still accepted (and ignored) in a secrets file generated before:
 * reporter tokens were derived from `REPORTER_TOKEN_SECRET` (they are random now), and the
 * subgraphs' credentials were signed with the shared `GATEWAY_SECRET` (they are signed with
 * `GATEWAY_SIGNING_KEY` and `SERVICE_SIGNING_KEY` now).
 */
const RETIRED_SECRET_NAMES = ['REPORTER_TOKEN_SECRET', 'GATEWAY_SECRET'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

type StoredSecrets = Record<SecretName, string> & Record<SigningKeyName, SigningJwk>;

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
 * An operator who still sets `GATEWAY_SECRET` believes the subgraphs trust a shared secret: stop
 * rather than start with a setting that no longer protects anything.
 */
function refuseRetiredVariables(env: NodeJS.ProcessEnv): void {
  if (env.GATEWAY_SECRET !== undefined) {
    throw new Error(
      'GATEWAY_SECRET is no longer used: the gateway signs with GATEWAY_SIGNING_KEY (an Ed25519 JWK) and the hub services with SERVICE_SIGNING_KEY; unset it (see SECURITY.md)',
    );
  }
}

/**
 * The secrets `names`, each from its environment variable. No secret has a value written in the
 * repository: outside production, one that is unset comes from `DATA_DIR/secrets.json`, whose
 * values are random and generated on the first start, so every process started from one checkout
 * (and `npm run token`) agrees on them. Each is independent: setting one leaves the others as
 * random as before. With `NODE_ENV=production` nothing is generated, and a secret that is not set
 * stops the process.
 */
export function secretsFromEnv<N extends SecretName>(names: readonly N[], env: NodeJS.ProcessEnv): Record<N, Uint8Array> {
  refuseRetiredVariables(env);
  const config = parseEnv(sources, env) as z.output<typeof sources> & Partial<Record<SecretName, string>>;
  const unset = names.filter((name) => config[name] === undefined);
  if (unset.length > 0 && config.NODE_ENV === 'production') {
    throw new Error(`${unset.join(', ')} must be set when NODE_ENV=production`);
  }
  const generated = unset.length > 0 ? generatedSecrets(secretsFilePath(config.DATA_DIR)) : undefined;
  return Object.fromEntries(names.map((name) => [name, new TextEncoder().encode(config[name] ?? generated![name])])) as Record<N, Uint8Array>;
}

/** A signing key in a variable: the JWK as JSON. */
const signingJwkVariable = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a private Ed25519 JWK as JSON ({"kty":"OKP","crv":"Ed25519","x":…,"d":…,"kid":…})' });
      return z.NEVER;
    }
  })
  .pipe(signingJwkSchema);

const keySources = z.object({
  NODE_ENV: z.string().optional(),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  ...Object.fromEntries(SIGNING_KEY_NAMES.flatMap((name) => [name, `${name}_NEXT`]).map((name) => [name, signingJwkVariable.optional()])),
});

/**
 * The signing key `name` (`GATEWAY_SIGNING_KEY`, `SERVICE_SIGNING_KEY`): a private Ed25519 JWK
 * with a `kid`, as JSON, from its variable; outside production, unset, generated into
 * `DATA_DIR/secrets.json` like the other secrets. `<name>_NEXT`, when set, is the next key.
 */
export function signingKeysFromEnv(name: SigningKeyName, env: NodeJS.ProcessEnv): SigningKeys {
  refuseRetiredVariables(env);
  const config = parseEnv(keySources, env) as z.output<typeof keySources> & Partial<Record<string, SigningJwk>>;
  let current = config[name];
  if (!current) {
    if (config.NODE_ENV === 'production') throw new Error(`${name} must be set when NODE_ENV=production`);
    current = generatedSecrets(secretsFilePath(config.DATA_DIR))[name];
  }
  const next = config[`${name}_NEXT`];
  return checkSigningKeys(next ? { current, next } : { current }, name);
}

/**
 * What the gateway verifies and signs with: `JWT_JWKS_URL` (RS256 tokens from an identity provider)
 * or `JWT_SECRET`, `GATEWAY_SIGNING_KEY` and `SERVICE_SIGNING_KEY`; see `secretsFromEnv` and
 * `signingKeysFromEnv` for where unset ones come from.
 */
export function authSecretsFromEnv(env: NodeJS.ProcessEnv): AuthSecrets {
  const { JWT_JWKS_URL: jwksUrl } = parseEnv(z.object({ JWT_JWKS_URL: z.url().optional() }), env);
  const keys = { gatewayKeys: signingKeysFromEnv('GATEWAY_SIGNING_KEY', env), serviceKeys: signingKeysFromEnv('SERVICE_SIGNING_KEY', env) };
  if (jwksUrl) return { jwtSecret: new Uint8Array(), jwksUrl, ...keys };
  return { jwtSecret: secretsFromEnv(['JWT_SECRET'], env).JWT_SECRET, ...keys };
}

/**
 * What a hub subgraph verifies and signs with: `SERVICE_SIGNING_KEY`, and the gateway's public
 * keys from `GATEWAY_JWKS_URL` when set (the subgraph then holds nothing of the gateway's), else
 * the public halves of `GATEWAY_SIGNING_KEY` (and `_NEXT`), as one checkout's processes share them.
 */
export function serviceSecretsFromEnv(env: NodeJS.ProcessEnv): ServiceSecrets {
  const { GATEWAY_JWKS_URL: jwksUrl } = parseEnv(z.object({ GATEWAY_JWKS_URL: z.url().optional() }), env);
  const gatewayPublicKeys: GatewayPublicKeys = jwksUrl ? { jwksUrl } : { jwks: publicJwks(signingKeysFromEnv('GATEWAY_SIGNING_KEY', env)) };
  return { serviceKeys: signingKeysFromEnv('SERVICE_SIGNING_KEY', env), gatewayPublicKeys };
}

const storedSecrets = z
  .object({
    ...Object.fromEntries([...SECRET_NAMES, ...RETIRED_SECRET_NAMES].map((name) => [name, z.string().min(1).optional()])),
    ...Object.fromEntries(SIGNING_KEY_NAMES.map((name) => [name, signingJwkSchema.optional()])),
  })
  .strict();

const STORED_NAMES = [...SECRET_NAMES, ...SIGNING_KEY_NAMES] as const;

/**
 * The checkout's generated secrets, created (mode 0600, in a directory created if missing) with
 * 32 random bytes each, and a new Ed25519 key pair for each signing key, on first need. A file that others may read or write is refused rather than
 * used: it would be a published value again. Created by linking a complete file into place, so two
 * processes starting together agree on the one that got there first.
 */
function generatedSecrets(file: string): StoredSecrets {
  const stored = readSecretsFile(file);
  if (stored && STORED_NAMES.every((name) => stored[name] !== undefined)) return stored as StoredSecrets;
  const complete = {
    ...Object.fromEntries(SECRET_NAMES.map((name) => [name, randomBytes(SECRET_BYTES).toString('base64url')])),
    ...Object.fromEntries(SIGNING_KEY_NAMES.map((name) => [name, generateSigningJwk()])),
    ...stored,
  };
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
  return readSecretsFile(file) as StoredSecrets;
}

function readSecretsFile(file: string): Partial<StoredSecrets> | null {
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
  if (!parsed.success) throw new Error(`${file} must be a JSON object of ${STORED_NAMES.join(', ')}`);
  return parsed.data as Partial<StoredSecrets>;
}
