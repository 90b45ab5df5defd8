import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { generators, Issuer, type BaseClient } from 'openid-client';
import { envInteger, logger, parseEnv, ROLES, secretsFromEnv, type Officer, type Viewer } from '@lapor-hub/lib';
import type { Authenticate } from './authenticate';

/** Header a page sends with every request its session authenticates; a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-lapor-csrf';
export const SESSION_COOKIE = 'lapor_session';
const OIDC_COOKIE = 'lapor_oidc';
const OIDC_FLOW_MS = 10 * 60_000;

export interface SessionOptions {
  /** Signs the session cookie (HMAC-SHA256). */
  secret: Uint8Array;
  ttlMinutes: number;
  /** Cookies only over HTTPS (production). */
  secureCookies: boolean;
  /** Production OpenID Connect; unset: the development sign-in, unless `production`. */
  oidc?: { issuer: string; clientId: string; clientSecret?: string; redirectUrl?: string };
  production: boolean;
}

const environment = z.object({
  NODE_ENV: z.string().optional(),
  SESSION_TTL_MINUTES: envInteger(480, 1),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URL: z.url().optional(),
});

/**
 * `SESSION_SECRET` (required in production; else generated under `DATA_DIR` with the hub's other secrets), `SESSION_TTL_MINUTES` (default 480), and for
 * OpenID Connect `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`, `OIDC_REDIRECT_URL`
 * (default: `<the request's origin>/console/callback`).
 */
export function sessionOptionsFromEnv(env: NodeJS.ProcessEnv): SessionOptions {
  const config = parseEnv(environment, env);
  const production = config.NODE_ENV === 'production';
  if (config.OIDC_ISSUER && !config.OIDC_CLIENT_ID) throw new Error('OIDC_CLIENT_ID must be set with OIDC_ISSUER');
  return {
    // From the environment, else the checkout's generated secrets (shared by every worker, kept over a restart).
    secret: secretsFromEnv(['SESSION_SECRET'], env).SESSION_SECRET,
    ttlMinutes: config.SESSION_TTL_MINUTES,
    secureCookies: production,
    production,
    oidc: config.OIDC_ISSUER
      ? { issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID!, clientSecret: config.OIDC_CLIENT_SECRET, redirectUrl: config.OIDC_REDIRECT_URL }
      : undefined,
  };
}

/** Sessions when the caller configured none (tests, embedding): a secret of this process only, no OIDC. */
export function processLocalSessionOptions(production: boolean): SessionOptions {
  return { secret: randomBytes(32), ttlMinutes: 480, secureCookies: production, production };
}

const sessionClaims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  agencyId: z.string().min(1),
  csrf: z.string().min(16),
  exp: z.number(),
});
export type Session = z.infer<typeof sessionClaims>;

const oidcFlow = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string(), exp: z.number() });

function sign(payload: object, secret: Uint8Array): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function unsign(value: string | undefined, secret: Uint8Array): unknown {
  if (!value) return null;
  const [body, mac] = value.split('.');
  if (!body || !mac) return null;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return typeof payload?.exp === 'number' && payload.exp > Date.now() ? payload : null;
  } catch {
    return null;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Only paths of this site: an open redirect after sign-in would hand the session's first page to anyone. */
export function safeReturnPath(raw: unknown, fallback = '/console'): string {
  return typeof raw === 'string' && /^\/(?![/\\])/.test(raw) ? raw : fallback;
}

/** Where the identity provider should send the browser back, when not configured. */
function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/**
 * Sessions of the pages: a signed, httpOnly, SameSite=Lax cookie holding the officer's identity
 * and a CSRF token; nothing is kept server-side, so every gateway replica reads it alike.
 */
export class Sessions {
  private oidcClient?: Promise<BaseClient>;

  constructor(readonly options: SessionOptions) {}

  /** The development sign-in (pick a role and a node): never in production, never beside OIDC. */
  get developmentSignIn(): boolean {
    return !this.options.production && !this.options.oidc;
  }

  get oidcSignIn(): boolean {
    return Boolean(this.options.oidc);
  }

  read(req: Request): Session | null {
    const parsed = sessionClaims.safeParse(unsign(readCookie(req, SESSION_COOKIE), this.options.secret));
    return parsed.success ? parsed.data : null;
  }

  start(res: Response, officer: Omit<Officer, 'kind'>): void {
    const session: Session = { ...officer, csrf: randomBytes(24).toString('base64url'), exp: Date.now() + this.options.ttlMinutes * 60_000 };
    this.setCookie(res, SESSION_COOKIE, sign(session, this.options.secret), this.options.ttlMinutes * 60_000);
  }

  end(res: Response): void {
    this.setCookie(res, SESSION_COOKIE, '', 0);
  }

  /**
   * The viewer behind a request: a bearer token first (agency systems, scripts; verified by the
   * gateway's authenticator), else the session cookie. A cookie counts with the session's CSRF
   * header, or for a download that only reads (`safeRead`: a link cannot carry a header, and
   * another site cannot read the answer); otherwise the request is the public's, as a cross-site
   * one carrying the cookie would be.
   */
  async viewer(req: Request, authenticate: Authenticate, safeRead = false): Promise<Viewer> {
    if (req.header('authorization')) return authenticate(req.header('authorization'));
    const session = this.read(req);
    if (!session) return { kind: 'public' };
    if (!(safeRead && req.method === 'GET') && !equalStrings(req.header(CSRF_HEADER) ?? '', session.csrf)) return { kind: 'public' };
    return { kind: 'officer', sub: session.sub, role: session.role, agencyId: session.agencyId };
  }

  private setCookie(res: Response, name: string, value: string, maxAgeMs: number): void {
    res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: this.options.secureCookies, path: '/', maxAge: maxAgeMs });
  }

  private client(): Promise<BaseClient> {
    const oidc = this.options.oidc!;
    this.oidcClient ??= Issuer.discover(oidc.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: oidc.clientId,
          client_secret: oidc.clientSecret,
          token_endpoint_auth_method: oidc.clientSecret ? 'client_secret_basic' : 'none',
          response_types: ['code'],
        }),
    );
    // A provider that was down at the first attempt is asked again next time.
    this.oidcClient.catch(() => (this.oidcClient = undefined));
    return this.oidcClient;
  }

  /**
   * `/console/sign-in/oidc`, `/console/callback`, the development sign-in and `POST /console/sign-out`.
   * `knownNode` is the check a bearer token's claims get (a real node; the national one for
   * `NATIONAL_ADMIN`), so that a provider's mistake signs nobody in with rights.
   */
  routes(knownNode: (officer: Omit<Officer, 'kind'>) => Promise<boolean>): Router {
    const router = express.Router();
    router.get('/console/sign-in/oidc', async (req, res) => {
      if (!this.options.oidc) return void res.redirect('/console/sign-in');
      try {
        const client = await this.client();
        const flow = { state: generators.state(), nonce: generators.nonce(), verifier: generators.codeVerifier(), returnTo: safeReturnPath(req.query.return), exp: Date.now() + OIDC_FLOW_MS };
        this.setCookie(res, OIDC_COOKIE, sign(flow, this.options.secret), OIDC_FLOW_MS);
        res.redirect(
          client.authorizationUrl({
            scope: 'openid',
            redirect_uri: this.redirectUrl(req),
            state: flow.state,
            nonce: flow.nonce,
            code_challenge: generators.codeChallenge(flow.verifier),
            code_challenge_method: 'S256',
          }),
        );
      } catch (error) {
        logger.error({ err: error }, 'OpenID Connect sign-in could not start');
        res.redirect('/console/sign-in?error=provider');
      }
    });
    router.get('/console/callback', async (req, res) => {
      const flow = oidcFlow.safeParse(unsign(readCookie(req, OIDC_COOKIE), this.options.secret));
      this.setCookie(res, OIDC_COOKIE, '', 0);
      if (!this.options.oidc || !flow.success) return void res.redirect('/console/sign-in?error=expired');
      try {
        const client = await this.client();
        const tokens = await client.callback(this.redirectUrl(req), client.callbackParams(req), {
          state: flow.data.state,
          nonce: flow.data.nonce,
          code_verifier: flow.data.verifier,
        });
        const claims = z.object({ sub: z.string().min(1), role: z.enum(ROLES), agencyId: z.string().min(1) }).safeParse(tokens.claims());
        if (!claims.success || !(await knownNode(claims.data))) return void res.redirect('/console/sign-in?error=claims');
        this.start(res, claims.data);
        res.redirect(flow.data.returnTo);
      } catch (error) {
        logger.warn({ err: error }, 'OpenID Connect callback refused');
        res.redirect('/console/sign-in?error=provider');
      }
    });
    router.post('/console/sign-in/development', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
      const form = z.object({ role: z.enum(ROLES), agencyId: z.string().trim().min(1).max(100), return: z.string().optional() }).safeParse(req.body);
      if (!this.developmentSignIn || !sameOrigin(req)) return void res.status(403).type('text/plain').send('Forbidden');
      const officer = form.success ? { sub: `dev:${form.data.role.toLowerCase()}:${form.data.agencyId}`, role: form.data.role, agencyId: form.data.agencyId } : null;
      if (!officer || !(await knownNode(officer))) return void res.redirect(303, '/console/sign-in?error=form');
      this.start(res, officer);
      res.redirect(303, safeReturnPath(form.data!.return));
    });
    router.post('/console/sign-out', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
      if (!sameOrigin(req)) return void res.status(403).type('text/plain').send('Forbidden');
      this.end(res);
      res.redirect(303, '/console/sign-in');
    });
    return router;
  }

  private redirectUrl(req: Request): string {
    return this.options.oidc?.redirectUrl ?? `${requestOrigin(req)}/console/callback`;
  }
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A form POST from a page of this site: browsers send `Origin` on every POST. The host alone is
 * compared, so that a TLS-terminating proxy (https outside, http here) does not refuse our own forms.
 */
export function sameOrigin(req: Request): boolean {
  try {
    return new URL(req.header('origin') ?? '').host === req.get('host');
  } catch {
    return false;
  }
}
