import type { Request, Response } from 'express';
import type { ApolloServer } from '@apollo/server';
import { logger } from '@lapor-hub/lib';
import type { GatewayContext } from './subgraph-data-source';

const STOP = `mutation Stop($token: String!) {
  stopReporterNotifications(input: { unsubscribeToken: $token }) { trackingId stopped }
}`;

// No value of the request is ever written into a page: the form posts back to the URL it came from.
const page = (title: string, text: string, form = '') =>
  `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${title} - LAPOR!</title></head>` +
  `<body><main><h1>${title}</h1><p>${text}</p>${form}</main></body></html>`;

const CONFIRM = page(
  'Berhenti menerima pemberitahuan?',
  'Anda tidak akan lagi menerima e-mail atau SMS tentang pengaduan ini. Perkembangannya tetap dapat Anda ikuti di portal LAPOR! dengan nomor pelacakan dan token pelapor.',
  '<form method="post"><button type="submit">Hentikan pemberitahuan</button></form>',
);
const STOPPED = page('Pemberitahuan dihentikan', 'Anda tidak akan lagi menerima e-mail atau SMS tentang pengaduan ini.');
const INVALID = page('Tautan tidak berlaku', 'Tautan ini tidak dikenal. Gunakan tautan dari pesan terakhir yang Anda terima.');
const UNAVAILABLE = page('Coba lagi nanti', 'Permintaan Anda belum dapat diproses. Silakan coba lagi beberapa saat lagi.');

/**
 * The stop link of a reporter's messages, `/notifications/unsubscribe?token=…`. A GET only shows a
 * confirmation (mail scanners open links), a POST stops: the page's button, or a mail client's
 * one-click request (RFC 8058, announced in the e-mails' List-Unsubscribe-Post header). The
 * complaints service checks the token's signature; this page only carries it.
 */
export function unsubscribeHandlers(server: ApolloServer<GatewayContext>) {
  const html = (res: Response, status: number, body: string) => void res.status(status).type('text/html; charset=utf-8').send(body);
  const tokenOf = (req: Request) => (typeof req.query.token === 'string' ? req.query.token : '');
  return {
    show(req: Request, res: Response) {
      html(res, tokenOf(req) ? 200 : 400, tokenOf(req) ? CONFIRM : INVALID);
    },
    async stop(req: Request, res: Response) {
      const token = tokenOf(req);
      if (!token) return html(res, 400, INVALID);
      const response = await server.executeOperation({ query: STOP, variables: { token } }, { contextValue: { viewer: { kind: 'public' } } });
      const result = response.body.kind === 'single' ? response.body.singleResult : null;
      const code = result?.errors?.[0]?.extensions?.code;
      if (result?.data?.stopReporterNotifications && !result.errors) return html(res, 200, STOPPED);
      if (code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT') return html(res, 400, INVALID);
      logger.warn({ code }, 'stopping reporter notifications failed');
      html(res, 503, UNAVAILABLE);
    },
  };
}
