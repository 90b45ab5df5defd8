import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startGateway } from '@lapor-hub/gateway/src/server';
import { readCommittedSupergraph, SUBGRAPH_NAMES, type ServiceHandle } from '@lapor-hub/lib';
import { TestHub } from '../support/hub';
import { DESKTOP, hubContext, launchBrowser, screenshot, seriousViolations, textSoon } from './support/browser';

// Production sign-in: authorization code with PKCE against a real OpenID provider (oidc-provider,
// an ES module, so in a child process), the role and node taken from the ID token's claims.
let hub: TestHub;
let browser: Browser;
let provider: ChildProcess;
let gateway: ServiceHandle;
let origin: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support/oidc-provider.mjs')], {
    env: { ...process.env, PORT: String(port), CLIENT_ID: 'lapor-hub', CLIENT_SECRET: 'lapor-hub-test-client-secret', REDIRECT_URI: redirectUri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => ((output += chunk), output.includes('ready') && resolve()));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${output}`)));
  });
  return child;
}

beforeAll(async () => {
  [hub, browser] = await Promise.all([TestHub.start(), launchBrowser()]);
  const [providerPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
  origin = `http://127.0.0.1:${gatewayPort}`;
  provider = await startProvider(providerPort, `${origin}/console/callback`);
  gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].url])),
    secrets: hub.secrets,
    port: gatewayPort,
    sessions: {
      secret: new TextEncoder().encode('oidc-test-session-secret-0123456789abcdef'),
      ttlMinutes: 60,
      secureCookies: false,
      production: false,
      oidc: { issuer: `http://127.0.0.1:${providerPort}`, clientId: 'lapor-hub', clientSecret: 'lapor-hub-test-client-secret' },
    },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  provider?.kill();
  await hub?.stop();
});

test('an officer signs in with OpenID Connect (code + PKCE) and works as the role and node of the ID token', async () => {
  const { context, errors } = await hubContext(browser, origin, DESKTOP);
  const page = await context.newPage();
  await page.goto(`${origin}/console`);
  // With OIDC configured there is no development sign-in at all.
  expect(await page.locator('form.sign-in').count()).toBe(0);
  await page.getByRole('link', { name: 'Masuk dengan SSO' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'console-sign-in-oidc-desktop');
  const refused = await fetch(`${origin}/console/sign-in/development`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: 'role=NATIONAL_ADMIN&agencyId=kemenpanrb-lapor' });
  expect(refused.status).toBe(403);

  await page.getByRole('link', { name: 'Masuk dengan SSO' }).click();
  const authorize = new URL(page.url());
  expect(authorize.origin).not.toBe(origin);
  await page.locator('input[name="login"]').fill('admin-bima');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();

  await page.waitForURL(`${origin}/console`);
  await textSoon(page.getByTestId('viewer-node'), 'Kabupaten Bima');
  expect(await page.textContent('.who')).toContain('Admin instansi');
  await page.waitForSelector('[data-testid="inbox-count"]:not(:empty)');
  const cookies = await context.cookies(origin);
  const session = cookies.find((cookie) => cookie.name === 'lapor_session')!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).toBe('{}');
  expect(errors).toEqual([]);
  await context.close();
});

test('a forged or replayed callback does not sign anyone in', async () => {
  const callback = await fetch(`${origin}/console/callback?code=forged&state=forged`, { redirect: 'manual' });
  expect(callback.status).toBe(302);
  expect(callback.headers.get('location')).toBe('/console/sign-in?error=expired');
  expect(callback.headers.get('set-cookie') ?? '').not.toMatch(/lapor_session=[^;]/);
});
