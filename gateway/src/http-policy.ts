import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';

/**
 * Headers on every gateway response. Answers are JSON and CSV that hold citizens' complaints and
 * officers' inboxes: never sniffed as something else (`nosniff`), never framed
 * (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), no referrer sent on, nothing stored by a
 * browser or a proxy (`Cache-Control: no-store`), HTTPS only in production (HSTS; development
 * runs on plain HTTP at localhost). In production nothing may load at all (`default-src 'none'`);
 * in development Apollo's landing page at `GET /graphql` still loads its scripts.
 */
export function securityHeaders(production: boolean): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: production ? ["'none'"] : helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
          frameAncestors: ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      // The hub is an API: these govern what a page of it may load or open, and it serves none.
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
    (_req, res, next) => {
      res.setHeader('cache-control', 'no-store');
      next();
    },
  ];
}

/**
 * Cross-origin access for the origins listed (`CORS_ORIGINS`), e.g. an integrated channel's web
 * form: their preflighted requests get the CORS headers, any other origin none, so a browser
 * keeps its page from reading the answer. Apollo Server's CSRF prevention stays on: a request a
 * browser sends without a preflight (a form post, `text/plain`) is still refused, from any origin.
 * On `POST /attachments` (an upload's `X-Upload-Token` names its session) a multipart upload needs
 * no preflight: it is anonymous, so a page of another origin can do no more with it than anyone;
 * it only cannot read the answer. No credentials are ever allowed cross-origin: cookies stay the
 * pages' own.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-upload-token'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });
}
