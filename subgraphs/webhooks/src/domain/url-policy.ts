import { BlockList, isIP } from 'node:net';

/** What a subscription URL may be: https in production; a private address only when allowed. */
export interface UrlPolicy {
  /** http is refused (every message then travels encrypted). */
  httpsOnly: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS=true`: loopback and private addresses allowed (development, tests). */
  allowPrivate: boolean;
}

export const MAX_URL_LENGTH = 2000;

// Addresses inside the hub's own network or no one's: a subscription aimed there would let a node's
// admin make the hub call its internal services (SSRF). IANA special-purpose registries, IPv4 and IPv6.
const REFUSED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED.addSubnet(network, prefix, 'ipv6');
}

// IPv6 forms that carry an IPv4 address (mapped, NAT64, the deprecated compatible form): the
// address they reach is the IPv4 one.
const EMBEDDED_IPV4 = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/i;
const EMBEDDED_IPV4_HEX = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** Whether an IP address is loopback, link-local, private or otherwise not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return REFUSED.check(address, 'ipv4');
  if (family !== 6) return true;
  const dotted = EMBEDDED_IPV4.exec(address);
  if (dotted) return isNonPublicAddress(dotted[1]);
  const hex = EMBEDDED_IPV4_HEX.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return isNonPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return REFUSED.check(address, 'ipv6');
}

/** Why a URL is refused as a subscription's (before any name is resolved), or null. */
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
  if (!policy.allowPrivate) {
    const host = hostOf(url);
    if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at a loopback, link-local or private address';
    if (isIP(host) && isNonPublicAddress(host)) return 'must not point at a loopback, link-local or private address';
  }
  return null;
}

/** The URL's host as an address or name, without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}
