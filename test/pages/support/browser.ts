import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };
const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');
const AXE = readFileSync(require.resolve('axe-core'), 'utf8');

/** Debian's Chromium, as CI installs it (`.ci/run`); no browser is downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A browser context whose pages record every console error and uncaught exception on the hub's
 * own pages (a third-party page, such as the identity provider's, is not ours to judge).
 */
export async function hubContext(browser: Browser, origin: string, viewport = DESKTOP, locale = 'id-ID'): Promise<{ context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Makassar' });
  const errors: string[] = [];
  context.on('page', (page) => watch(page, origin, errors));
  return { context, errors };
}

function watch(page: Page, origin: string, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && page.url().startsWith(origin)) errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    if (page.url().startsWith(origin)) errors.push(`${page.url()}: ${error.message}`);
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it stands. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the pages' CSP (rightly) refuses an inline script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  });
  return (violations as AxeViolation[]).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Writes `docs/screenshots/<name>.png` (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** No horizontal scrolling: everything fits the viewport's width. */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Waits (up to 10 s) until `condition` holds; fails with `what` otherwise. */
export async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until the element's text contains `expected` (or matches it). */
export async function textSoon(locator: Locator, expected: string | RegExp): Promise<void> {
  let last = '';
  await eventually(`text ${expected}`, async () => {
    last = (await locator.first().textContent({ timeout: 1000 })) ?? '';
    return typeof expected === 'string' ? last.includes(expected) : expected.test(last);
  }).catch((error) => {
    throw new Error(`${error.message}; last text: ${JSON.stringify(last)}`);
  });
}

export const attributeSoon = (locator: Locator, name: string, value: string) =>
  eventually(`${name}=${value}`, async () => (await locator.getAttribute(name, { timeout: 1000 })) === value);

export const focusedSoon = (locator: Locator) => eventually('focus', () => locator.evaluate((element) => element === document.activeElement));
