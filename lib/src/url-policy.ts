import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Addresses inside the hub's own network or no one's: a URL a node registers (its subgraph, a
// webhook receiver) aimed there would let the node's admin make the hub call its internal services
// or the cloud's metadata endpoint (SSRF). IANA special-purpose registries, IPv4 and IPv6.
const NON_PUBLIC = new BlockList();
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
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible form (RFC 4291), never a public address.
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

// IPv6 forms that carry an IPv4 address (mapped, NAT64): the address they reach is the IPv4 one.
const EMBEDDED_IPV4 = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i;
const EMBEDDED_IPV4_HEX = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * Whether an IP address is loopback, link-local, private, CGNAT, multicast, reserved or otherwise
 * not on the public internet. Anything that is not an IP address counts as not public.
 */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  const dotted = EMBEDDED_IPV4.exec(address);
  if (dotted) return isNonPublicAddress(dotted[1]);
  const hex = EMBEDDED_IPV4_HEX.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return isNonPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return NON_PUBLIC.check(address, 'ipv6');
}

/**
 * The URL's host as DNS takes it: lower case, an IPv6 literal without its brackets. The WHATWG
 * parser has already turned decimal, octal and hex IPv4 spellings (`2130706433`, `0177.0.0.1`,
 * `0x7f000001`) into the dotted form.
 */
export function urlHost(url: URL | string): string {
  return (typeof url === 'string' ? new URL(url) : url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Whether the URL's host, as written, is a non-public address or a `localhost` name: what can be
 * refused before any name is resolved. A DNS name is judged by `nonPublicResolution` when it is used.
 */
export function namesNonPublicHost(url: URL | string): boolean {
  // `localhost.` is `localhost` to DNS.
  const host = urlHost(url).replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isNonPublicAddress(host);
}

/** What resolving a URL's host found: nothing (it does not resolve), a non-public address, or only public ones. */
export type HostResolution = { kind: 'unresolvable' } | { kind: 'nonPublic'; address: string } | { kind: 'public' };

/** Resolves the URL's host now (an IP literal is its own answer) and says whether any address it has is non-public. */
export async function nonPublicResolution(url: URL | string): Promise<HostResolution> {
  const host = urlHost(url);
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    return { kind: 'unresolvable' };
  }
  const refused = addresses.find(({ address }) => isNonPublicAddress(address));
  return refused ? { kind: 'nonPublic', address: refused.address } : { kind: 'public' };
}

/** A connection refused because its host resolved to a non-public address. */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
}

/**
 * A `lookup` for `net`/`http`/undici connections that refuses a host resolving to a non-public
 * address: the check and the connection see the same answer, so a name that resolves to a public
 * address when checked and a private one when connecting (DNS rebinding) cannot slip through.
 * Connections to an IP literal skip `lookup`: check those with `namesNonPublicHost` first.
 */
export function publicOnlyLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (addresses.some((entry) => isNonPublicAddress(entry.address))) {
        return callback(new NonPublicAddressError(`${hostname} resolves to a non-public address`), '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
