import { BlockList, isIP } from 'node:net';

// Loopback, private, link-local, carrier-grade NAT, unspecified and unique-local ranges, and
// IPv4-mapped IPv6 forms of the IPv4 ones: addresses inside an operator's network, not a node's service.
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
  PRIVATE_RANGES.addSubnet(`::ffff:${network}`, 96 + prefix, 'ipv6');
}
PRIVATE_RANGES.addAddress('::', 'ipv6');
PRIVATE_RANGES.addAddress('::1', 'ipv6');
PRIVATE_RANGES.addSubnet('fc00::', 7, 'ipv6');
PRIVATE_RANGES.addSubnet('fe80::', 10, 'ipv6');

/** Whether an IP address is loopback or private (a literal address, as DNS answers it). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A subgraph URL the registry accepts as well-formed: absolute http(s), no credentials in it. */
export function isSubgraphUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The host of a URL as DNS takes it (IPv6 literals without their brackets). */
export function urlHost(raw: string): string {
  return new URL(raw).hostname.replace(/^\[(.*)\]$/, '$1');
}
