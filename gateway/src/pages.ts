import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import type { BuildOptions, OutputFile } from 'esbuild';
import { logger } from '@lapor-hub/lib';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import { languageOf, translate, type Language, type MessageKey } from '../../pages/shared/i18n';
import { regencyAreas } from './areas';
import { CSRF_HEADER, type Sessions } from './session';

const PAGES_DIR = path.resolve(__dirname, '../../pages');

type PageName = 'portal' | 'console' | 'dashboard' | 'explorer';

interface Asset {
  contents: Uint8Array;
  type: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

/**
 * The two bundles: the pages for people (small, framework-free) and the API explorer (GraphiQL
 * with its Monaco editor and workers, large). Each is built by esbuild from the checkout, without
 * network, on its first request and kept in memory: a gateway that serves no page pays nothing.
 */
const BUNDLES: Record<'pages' | 'explorer', BuildOptions> = {
  pages: {
    entryPoints: {
      portal: path.join(PAGES_DIR, 'portal/main.ts'),
      console: path.join(PAGES_DIR, 'console/main.ts'),
      dashboard: path.join(PAGES_DIR, 'dashboard/main.ts'),
      pages: path.join(PAGES_DIR, 'shared/styles.css'),
    },
  },
  explorer: {
    entryPoints: {
      explorer: path.join(PAGES_DIR, 'explorer/main.ts'),
      'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': require.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': require.resolve('monaco-graphql/esm/graphql.worker.js'),
    },
    loader: { '.ttf': 'file' },
  },
};

const bundles = new Map<keyof typeof BUNDLES, Promise<Map<string, Asset>>>();

/** Builds (once per process) and returns the files of a bundle by their name under `/assets/`. */
export function pageBundle(name: keyof typeof BUNDLES): Promise<Map<string, Asset>> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = (async () => {
      const started = Date.now();
      const { build } = await import('esbuild');
      const result = await build({
        ...BUNDLES[name],
        bundle: true,
        minify: true,
        write: false,
        format: 'iife',
        target: 'es2020',
        outdir: '/assets',
        publicPath: '/assets',
        assetNames: '[name]',
        legalComments: 'none',
        logLevel: 'silent',
        // Minified for the browser, esbuild also builds React as in production (its NODE_ENV define).
      });
      const files = new Map(result.outputFiles.map((file: OutputFile) => [path.basename(file.path), { contents: file.contents, type: CONTENT_TYPES[path.extname(file.path)] ?? 'application/octet-stream' }]));
      logger.info({ bundle: name, files: files.size, ms: Date.now() - started }, 'pages built');
      return files;
    })();
    // A failed build (a syntax error while developing) is tried again on the next request.
    bundle.catch(() => bundles.delete(name));
    bundles.set(name, bundle);
  }
  return bundle;
}

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b3261e"/><text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">L</text></svg>';

/**
 * What the pages may load: their own scripts, styles, fonts and workers, nothing from elsewhere
 * (it replaces the gateway's `default-src 'none'` on these responses only). Inline styles are
 * allowed for the charts and the explorer's editor, which set them; inline scripts are not.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Shell {
  page: PageName;
  language: Language;
  title: MessageKey;
  meta: Record<string, string>;
  styles: string[];
}

function shell(res: Response, { page, language, title, meta, styles }: Shell): void {
  const metas = Object.entries(meta)
    .map(([name, content]) => `<meta name="lapor-${name}" content="${escapeHtml(content)}">`)
    .join('');
  res
    .status(200)
    .type('html')
    .setHeader('cache-control', 'no-store')
    .setHeader('content-security-policy', PAGE_CSP)
    // The gateway's `no-referrer` makes a browser post our own forms with `Origin: null`, which the
    // sign-in and sign-out refuse; same-origin still sends nothing to another site.
    .setHeader('referrer-policy', 'same-origin')
    .send(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(translate(language, title))}</title>${metas}<link rel="icon" href="/favicon.svg" type="image/svg+xml">` +
        styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('') +
        `</head><body><a class="skip-link" href="#main">${escapeHtml(translate(language, 'common.skip'))}</a>` +
        `<div id="app" data-page="${page}"><main id="main" tabindex="-1"><p>${escapeHtml(translate(language, 'common.loading'))}</p>` +
        `<noscript>${escapeHtml(translate(language, 'common.noscript'))}</noscript></main></div>` +
        `<script src="/assets/${page}.js" defer></script></body></html>`,
    );
}

/** `?lang=en|id`, else the browser's preference between the two, else Indonesian. */
export function requestLanguage(req: Request): Language {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  return languageOf(asked, req.header('accept-language'));
}

/** Every national holiday of a year, for the pages' working-day countdowns (cuti bersama come from the API). */
function nationalHolidays(year: number): string[] {
  const calendar = new WorkingCalendar([]);
  const days: string[] = [];
  for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    if (calendar.dayOffReason(date) === 'NATIONAL_HOLIDAY') days.push(date);
  }
  return days;
}

export interface PagesOptions {
  /** Who is signed in, and which sign-in the console offers (OIDC, development, or none in production without OIDC). */
  sessions: Sessions;
  /** Serve the explorer at a browser's `GET /graphql`: not in production, where introspection is off and the gateway serves no page there. */
  explorer: boolean;
  /** The largest evidence file `POST /attachments` takes, which the portal and the console say before a file is chosen. */
  maxUploadBytes: number;
}

/**
 * `/` the citizen portal, `/console` the officers' console (and its sign-in), `/dashboard` the
 * national dashboard, `GET /graphql` from a browser (the API explorer), and their `/assets/`.
 */
export function pagesRouter({ sessions, explorer, maxUploadBytes }: PagesOptions): Router {
  const router = express.Router();
  const sessionMeta = (req: Request): Record<string, string> => {
    const session = sessions.read(req);
    return {
      'sign-in': sessions.oidcSignIn ? 'oidc' : sessions.developmentSignIn ? 'development' : 'none',
      ...(session ? { csrf: session.csrf, viewer: JSON.stringify({ sub: session.sub, role: session.role, agencyId: session.agencyId, exp: session.exp }) } : {}),
      'csrf-header': CSRF_HEADER,
    };
  };
  const css = ['/assets/pages.css'];
  const upload = { 'upload-max-bytes': String(maxUploadBytes) };
  router.get('/', (req, res) => shell(res, { page: 'portal', language: requestLanguage(req), title: 'portal.title', meta: upload, styles: css }));
  router.get(['/console', '/console/sign-in'], (req, res) =>
    shell(res, { page: 'console', language: requestLanguage(req), title: 'console.title', meta: { ...sessionMeta(req), ...upload }, styles: css }),
  );
  router.get('/dashboard', (req, res) =>
    shell(res, { page: 'dashboard', language: requestLanguage(req), title: 'dashboard.title', meta: sessionMeta(req), styles: css }),
  );
  router.get('/graphql', (req, res, next) => {
    // A browser's navigation asks for HTML; API clients (GET with `query`, JSON) go on to Apollo.
    if (!explorer || !(req.header('accept') ?? '').includes('text/html') || req.query.query !== undefined) return next();
    shell(res, { page: 'explorer', language: requestLanguage(req), title: 'explorer.title', meta: sessionMeta(req), styles: ['/assets/explorer.css'] });
  });
  router.get('/favicon.svg', (_req, res) => void res.type('image/svg+xml').setHeader('cache-control', 'public, max-age=86400').send(FAVICON));
  router.get('/pages/holidays/:year.json', (req, res) => {
    const year = Number(req.params.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return void res.status(404).json({ errors: [{ message: 'No such year', extensions: { code: 'NOT_FOUND' } }] });
    res.setHeader('cache-control', 'public, max-age=86400').json({ year, holidays: nationalHolidays(year) });
  });
  router.get('/pages/areas/:regency.json', (req, res) => {
    const areas = /^\d{2}\.\d{2}$/.test(req.params.regency) ? regencyAreas(req.params.regency) : null;
    if (!areas) return void res.status(404).json({ errors: [{ message: 'No such regency or city', extensions: { code: 'NOT_FOUND' } }] });
    res.setHeader('cache-control', 'public, max-age=86400').json(areas);
  });
  router.get('/assets/:file', async (req, res) => {
    const bundle = /^(explorer|[\w-]+\.worker)\.|\.ttf$/.test(req.params.file) ? 'explorer' : 'pages';
    try {
      const asset = (await pageBundle(bundle)).get(req.params.file);
      if (!asset) return void res.status(404).type('text/plain').send('Not found');
      // A worker runs under its own response's policy, so the assets carry the pages' one too.
      res.status(200).type(asset.type).setHeader('cache-control', 'no-cache').setHeader('content-security-policy', PAGE_CSP).send(Buffer.from(asset.contents));
    } catch (error) {
      logger.error({ err: error, bundle }, 'pages build failed');
      res.status(500).type('text/plain').send('Internal server error');
    }
  });
  return router;
}
