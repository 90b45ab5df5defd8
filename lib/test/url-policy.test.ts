import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNonPublicAddress, namesNonPublicHost, NonPublicAddressError, nonPublicResolution, publicOnlyLookup, urlHost } from '../src/url-policy';

describe('which addresses are not public', () => {
  it.each([
    // IPv4: unspecified, loopback, private, link-local (the cloud's metadata endpoint), CGNAT, documentation, benchmarking, multicast, reserved, broadcast.
    '0.0.0.0', '0.1.2.3', '127.0.0.1', '127.1.2.3', '10.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '192.168.1.1',
    '169.254.169.254', '100.64.0.1', '100.127.255.255', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9',
    '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    // IPv6: unspecified, loopback, unique-local fc00::/7, link-local fe80::/10, site-local, multicast, discard, documentation.
    '::', '::1', 'fc00::1', 'fd00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'fec0::1', 'ff02::1', '100::1', '2001:db8::1',
    // IPv4 inside IPv6: mapped (dotted and hex, as URL parsing prints it), NAT64, translated, the deprecated compatible form.
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::192.168.0.1', '64:ff9b:1::1',
    '::ffff:0:7f00:1', '::7f00:1', '::8.8.8.8',
    'not-an-address', '',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '36.86.63.182', '103.10.64.1', '100.63.255.255', '100.128.0.1', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '2606:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe('a URL host as written', () => {
  it('is taken as DNS takes it: brackets off, lower case, IPv4 spelled in decimal, octal or hex made dotted', () => {
    expect(urlHost('http://[::1]:4101/graphql')).toBe('::1');
    expect(urlHost(new URL('https://PUPR.BimaKab.go.id/graphql'))).toBe('pupr.bimakab.go.id');
    for (const spelling of ['2130706433', '0177.0.0.1', '0x7f000001', '0x7f.1', '127.1']) expect(urlHost(`http://${spelling}/`)).toBe('127.0.0.1');
    expect(urlHost('http://[::ffff:127.0.0.1]/')).toBe('::ffff:7f00:1');
  });

  it.each([
    'http://localhost/', 'http://LOCALHOST:8080/', 'http://localhost./', 'http://api.localhost/', 'http://127.0.0.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f000001/',
    'http://0.0.0.0/', 'http://100.64.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://224.0.0.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/',
    'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[::]/',
  ])('%s names a non-public host', (url) => {
    expect(namesNonPublicHost(url)).toBe(true);
  });

  it('leaves a DNS name to be judged when it is resolved', () => {
    expect(namesNonPublicHost('https://pupr.bimakab.go.id/graphql')).toBe(false);
    expect(namesNonPublicHost('https://36.86.63.182:8443/graphql')).toBe(false);
    expect(namesNonPublicHost('https://[2606:4700::1111]/graphql')).toBe(false);
  });
});

describe('a URL host once resolved', () => {
  it('is non-public when its name resolves to a loopback address, public when a public literal, unresolvable when it does not resolve', async () => {
    expect(await nonPublicResolution('http://localhost:4101/graphql')).toEqual({ kind: 'nonPublic', address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    expect(await nonPublicResolution('http://[fe80::1]/graphql')).toEqual({ kind: 'nonPublic', address: 'fe80::1' });
    expect(await nonPublicResolution('http://0x7f000001/graphql')).toEqual({ kind: 'nonPublic', address: '127.0.0.1' });
    expect(await nonPublicResolution('https://36.86.63.182/graphql')).toEqual({ kind: 'public' });
    expect(await nonPublicResolution('https://no-such-node.invalid/graphql')).toEqual({ kind: 'unresolvable' });
  });

  it('refuses a connection whose name resolves to a non-public address when it connects, not before', async () => {
    const server = http.createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (lookup?: ReturnType<typeof publicOnlyLookup>) =>
      new Promise<string>((resolve, reject) => {
        http.get({ host: 'localhost', port, family: 4, agent: false, ...(lookup ? { lookup } : {}) }, (response) => resolve(String(response.statusCode))).on('error', reject);
      });
    try {
      expect(await get()).toBe('200');
      await expect(get(publicOnlyLookup())).rejects.toThrow(NonPublicAddressError);
      await expect(get(publicOnlyLookup())).rejects.toThrow('localhost resolves to a non-public address');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
