import http from 'node:http';
import https from 'node:https';
import { NonPublicAddressError, nonPublicResolution, publicOnlyLookup } from '@lapor-hub/lib';
import { NON_PUBLIC_REFUSAL, urlRefusal, type UrlPolicy } from '../domain/url-policy';
import type { SignedMessage } from '../domain/message';

/** What a receiver answered: its HTTP status, or why there was none. */
export type SendResult = { status: number; error: null } | { status: null; error: string };

export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * POSTs one message: the URL checked again now, its address after resolution, at most
 * `timeoutMs` in all, no redirect followed (a 3xx is an answer like any other non-2xx), and the
 * answer's body read no further than needed.
 */
export function sendMessage(rawUrl: string, message: SignedMessage, policy: UrlPolicy, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<SendResult> {
  const refusal = urlRefusal(rawUrl, policy);
  if (refusal) return Promise.resolve({ status: null, error: `The URL ${refusal}` });
  const url = new URL(rawUrl);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-length': Buffer.byteLength(message.body), 'user-agent': 'LAPOR-Hub-Webhooks/1' },
        ...(policy.allowPrivate ? {} : { lookup: publicOnlyLookup() }),
        // A fresh connection per message: a kept-alive one would skip the address check.
        agent: false,
      },
      (response) => {
        // The status is the answer; the body is not read beyond what arrives with it.
        finish({ status: response.statusCode ?? 0, error: null });
      },
    );
    const timer = setTimeout(() => finish({ status: null, error: `No answer within ${timeoutMs / 1000} s` }), timeoutMs);
    request.on('error', (error) =>
      finish({ status: null, error: error instanceof NonPublicAddressError ? error.message : `Connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}` }),
    );
    request.end(message.body);
  });
}

/**
 * Why a subscription's URL is refused once its host is resolved (a name that resolves to a
 * non-public address, or to nothing), or null. Delivery checks the same again at every attempt.
 */
export async function resolvedUrlRefusal(rawUrl: string, policy: UrlPolicy): Promise<string | null> {
  if (policy.allowPrivate) return null;
  const resolution = await nonPublicResolution(rawUrl);
  if (resolution.kind === 'unresolvable') return 'must name a host that resolves';
  return resolution.kind === 'nonPublic' ? NON_PUBLIC_REFUSAL : null;
}
