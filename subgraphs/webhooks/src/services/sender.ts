import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, isNonPublicAddress, urlRefusal, type UrlPolicy } from '../domain/url-policy';
import type { SignedMessage } from '../domain/message';

/** What a receiver answered: its HTTP status, or why there was none. */
export type SendResult = { status: number; error: null } | { status: null; error: string };

export const DELIVERY_TIMEOUT_MS = 10_000;

class RefusedAddressError extends Error {}

/**
 * Resolves a host as the connection will use it and refuses a non-public address unless allowed:
 * the check and the connection see the same address, so a name that resolves to a public address
 * when checked and a private one when connecting (DNS rebinding) cannot slip through.
 */
function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = !policy.allowPrivate && addresses.find((entry) => isNonPublicAddress(entry.address));
      if (refused) return callback(new RefusedAddressError(`${hostname} resolves to a non-public address`), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs one message: the URL checked again now, its address after resolution, at most
 * `timeoutMs` in all, no redirect followed (a 3xx is an answer like any other non-2xx), and the
 * answer's body read no further than needed.
 */
export function sendMessage(rawUrl: string, message: SignedMessage, policy: UrlPolicy, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<SendResult> {
  const refusal = urlRefusal(rawUrl, policy);
  if (refusal) return Promise.resolve({ status: null, error: `The URL ${refusal}` });
  const url = new URL(rawUrl);
  if (isIP(hostOf(url)) && !policy.allowPrivate && isNonPublicAddress(hostOf(url))) {
    return Promise.resolve({ status: null, error: 'The URL points at a non-public address' });
  }
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
        lookup: guardedLookup(policy),
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
      finish({ status: null, error: error instanceof RefusedAddressError ? error.message : `Connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}` }),
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
  const host = hostOf(new URL(rawUrl));
  if (isIP(host)) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch {
    return 'must name a host that resolves';
  }
  return addresses.some((entry) => isNonPublicAddress(entry.address)) ? 'must not point at a loopback, link-local or private address' : null;
}
