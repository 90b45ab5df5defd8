import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jwtVerify, SignJWT } from 'jose';
import { GATEWAY_CREDENTIAL_HEADER, secretsFilePath, signUserToken, SUBGRAPH_NAMES, type Viewer } from '@lapor-hub/lib';
import { bodySha256 } from '@lapor-hub/node-kit';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { JWKS_PATH } from '@lapor-hub/gateway/src/server';
import { loadHubConfig } from '../hub/config';
import { startHub, type RunningHub } from '../hub/start-hub';
import { createTestDatabases, type TestDatabases } from './support/databases';
import { graphQLBody, NATIONAL_ID, postGraphQL } from './support/hub';

const ROOT = path.resolve(__dirname, '..');

// The values the repository used to publish as development fallbacks, assembled here so that this
// file does not contain them either.
const OLD_FALLBACKS = ['jwt-secret', 'gateway-secret', 'reporter-secret', 'contact-key'].map((part) => `lapor-hub-development-${part}-change-me`);

const freshDataDir = () => mkdtempSync(path.join(os.tmpdir(), 'lapor-secrets-'));
const readSecretsFile = (dataDir: string) => JSON.parse(readFileSync(secretsFilePath(dataDir), 'utf8')) as Record<string, any>;
const bytes = (value: string) => new TextEncoder().encode(value);
const ONLY_JWT: NodeJS.ProcessEnv = { JWT_SECRET: 'set-by-the-operator-for-this-test', HOST: '127.0.0.1', PORT: '0', AGENCIES_PORT: '0', COMPLAINTS_PORT: '0', ESCALATION_PORT: '0' };

describe('a hub started with only JWT_SECRET set', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dataDir = freshDataDir();
    dataDirs.push(dataDir);
    return dataDir;
  };
  let dataDir: string;
  let databases: TestDatabases;
  let hub: RunningHub;

  beforeAll(async () => {
    dataDir = newDataDir();
    databases = await createTestDatabases();
    const config = loadHubConfig({ ...ONLY_JWT, DATA_DIR: dataDir, DATABASE_URL: databases.urls.agencies });
    hub = await startHub({
      ...config,
      databases: { urls: databases.urls, poolMax: databases.poolMax },
      sweeps: { complaints: { mode: 'off' }, escalation: { mode: 'off' } },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await databases?.drop();
    for (const directory of dataDirs) rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the secrets and private keys it generated in DATA_DIR/secrets.json, readable by its owner only, and publishes only the public keys', async () => {
    const file = secretsFilePath(dataDir);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readSecretsFile(dataDir);
    // 32 random bytes, base64url.
    expect(stored.REPORTER_CONTACT_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const name of ['GATEWAY_SIGNING_KEY', 'SERVICE_SIGNING_KEY']) {
      expect(stored[name]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), d: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: expect.any(String) });
    }
    expect(stored.GATEWAY_SECRET).toBeUndefined();
    const jwks = await fetch(new URL(JWKS_PATH, hub.url));
    const text = await jwks.text();
    // The gateway's public key, and nothing of either private key, nor of the service key at all.
    expect(JSON.parse(text)).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: stored.GATEWAY_SIGNING_KEY.x, kid: stored.GATEWAY_SIGNING_KEY.kid, alg: 'EdDSA', use: 'sig' }] });
    for (const secret of [stored.GATEWAY_SIGNING_KEY.d, stored.SERVICE_SIGNING_KEY.d, stored.SERVICE_SIGNING_KEY.x]) expect(text).not.toContain(secret);
  });

  it('generates different secrets for every fresh DATA_DIR, reuses them on restart, and never an old published value', () => {
    const first = readSecretsFile(dataDir);
    const second = loadHubConfig({ ...ONLY_JWT, DATA_DIR: newDataDir() }).secrets;
    expect(second.gatewayKeys.current.d).not.toBe(first.GATEWAY_SIGNING_KEY.d);
    expect(second.serviceKeys.current.d).not.toBe(first.SERVICE_SIGNING_KEY.d);
    expect(new TextDecoder().decode(second.reporterContactKey)).not.toBe(first.REPORTER_CONTACT_KEY);

    const restarted = loadHubConfig({ ...ONLY_JWT, DATA_DIR: dataDir }).secrets;
    expect(restarted.gatewayKeys).toEqual({ current: first.GATEWAY_SIGNING_KEY });
    expect(restarted.serviceKeys).toEqual({ current: first.SERVICE_SIGNING_KEY });
    expect(restarted.reporterContactKey).toEqual(bytes(first.REPORTER_CONTACT_KEY));
    // The one set in the environment is taken from there.
    expect(restarted.jwtSecret).toEqual(bytes(ONLY_JWT.JWT_SECRET!));

    for (const value of Object.values(first)) expect(OLD_FALLBACKS).not.toContain(typeof value === 'string' ? value : value.d);
    for (const old of OLD_FALLBACKS) {
      // `git grep` exits 1 when nothing in the repository's files matches.
      expect(() => execFileSync('git', ['grep', '-q', '-F', old], { cwd: ROOT, stdio: 'ignore' })).toThrow(expect.objectContaining({ status: 1 }));
    }
  });

  it('refuses subgraph credentials signed with any old published value, and user tokens too', async () => {
    const admin: Viewer = { kind: 'officer', sub: 'forger', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID };
    const query = '{ categories { id } }';
    for (const name of SUBGRAPH_NAMES) {
      for (const old of OLD_FALLBACKS) {
        // As the shared secret signed them (HS256), with the claims a credential has now.
        const forged = await new SignJWT({ viewer: { sub: admin.sub, role: admin.role, agencyId: admin.agencyId }, bodySha256: bodySha256(graphQLBody(query)) })
          .setProtectedHeader({ alg: 'HS256', kid: 'old' })
          .setIssuer('lapor-hub-gateway')
          .setAudience(name)
          .setJti(`forged-${name}-${old}`)
          .setIssuedAt()
          .setExpirationTime('60s')
          .sign(bytes(old));
        const refused = await postGraphQL(hub.services[name].url, query, {}, { [GATEWAY_CREDENTIAL_HEADER]: forged });
        expect(refused.status).toBe(401);
        expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
    }
    const genuine = await gatewayCredentialSigner({ current: readSecretsFile(dataDir).GATEWAY_SIGNING_KEY })('agencies', admin, graphQLBody(query));
    const answered = await postGraphQL(hub.services.agencies.url, query, {}, { [GATEWAY_CREDENTIAL_HEADER]: genuine });
    expect(answered.errors).toBeUndefined();

    for (const old of OLD_FALLBACKS) {
      const token = await signUserToken({ sub: 'forger', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID }, bytes(old));
      expect((await postGraphQL(hub.url, query, {}, { authorization: `Bearer ${token}` })).status).toBe(401);
    }
  });

  it('refuses a secrets file that other users may read', () => {
    const shared = newDataDir();
    loadHubConfig({ ...ONLY_JWT, DATA_DIR: shared });
    chmodSync(secretsFilePath(shared), 0o644);
    expect(() => loadHubConfig({ ...ONLY_JWT, DATA_DIR: shared })).toThrow(/open to other users.*chmod 600/);
  });

  it('in production, refuses to start without every secret in the environment, and generates none', () => {
    const empty = newDataDir();
    expect(() => loadHubConfig({ ...ONLY_JWT, NODE_ENV: 'production', DATA_DIR: empty })).toThrow('GATEWAY_SIGNING_KEY must be set when NODE_ENV=production');
    const gatewayKey = JSON.stringify(readSecretsFile(dataDir).GATEWAY_SIGNING_KEY);
    expect(() => loadHubConfig({ ...ONLY_JWT, NODE_ENV: 'production', DATA_DIR: empty, GATEWAY_SIGNING_KEY: gatewayKey })).toThrow('SERVICE_SIGNING_KEY must be set when NODE_ENV=production');
    expect(existsSync(secretsFilePath(empty))).toBe(false);
  });

  it('refuses to start while the retired GATEWAY_SECRET is still set, or with a signing key that is no Ed25519 JWK', () => {
    expect(() => loadHubConfig({ ...ONLY_JWT, DATA_DIR: newDataDir(), GATEWAY_SECRET: 'left-over' })).toThrow(/GATEWAY_SECRET is no longer used.*GATEWAY_SIGNING_KEY/);
    expect(() => loadHubConfig({ ...ONLY_JWT, DATA_DIR: newDataDir(), GATEWAY_SIGNING_KEY: 'not-a-jwk' })).toThrow(/GATEWAY_SIGNING_KEY/);
    const { d: _d, ...publicOnly } = readSecretsFile(dataDir).GATEWAY_SIGNING_KEY;
    expect(() => loadHubConfig({ ...ONLY_JWT, DATA_DIR: newDataDir(), GATEWAY_SIGNING_KEY: JSON.stringify(publicOnly) })).toThrow(/GATEWAY_SIGNING_KEY/);
  });
});

describe('npm run token', () => {
  const run = promisify(execFile);
  const token = (args: string[], env: NodeJS.ProcessEnv) =>
    run(process.execPath, [require.resolve('tsx/cli'), 'scripts/token.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
  const dataDir = freshDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs with the secret of the hub started from the same DATA_DIR, for the national node by default', async () => {
    const { stdout } = await token(['--role', 'NATIONAL_ADMIN'], { DATA_DIR: dataDir });
    const hubSecrets = loadHubConfig({ DATA_DIR: dataDir }).secrets;
    const { payload } = await jwtVerify(stdout.trim(), hubSecrets.jwtSecret);
    expect(payload).toMatchObject({ role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID });
  }, 30_000);

  it('asks for --agency for the other roles', async () => {
    const failed = await token(['--role', 'AGENCY_ADMIN'], { DATA_DIR: dataDir }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/--agency is required for AGENCY_ADMIN\nusage: npm run token/);
  }, 30_000);
});
