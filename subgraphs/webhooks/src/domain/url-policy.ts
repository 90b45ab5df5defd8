import { namesNonPublicHost } from '@lapor-hub/lib';

/** What a subscription URL may be: https in production; a private address only when allowed. */
export interface UrlPolicy {
  /** http is refused (every message then travels encrypted). */
  httpsOnly: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS=true`: loopback and private addresses allowed (development, tests). */
  allowPrivate: boolean;
}

export const MAX_URL_LENGTH = 2000;

export const NON_PUBLIC_REFUSAL = 'must not point at a loopback, link-local or private address';

/**
 * Why a URL is refused as a subscription's before any name is resolved, or null. Which addresses
 * are not public is lib's `url-policy`, shared with the registry's node subgraph URLs.
 */
export function urlRefusal(raw: string, policy: UrlPolicy): string | null {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH.toLocaleString('en-US')} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) return policy.httpsOnly ? 'must be an https URL' : 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  if (!policy.allowPrivate && namesNonPublicHost(url)) return NON_PUBLIC_REFUSAL;
  return null;
}
