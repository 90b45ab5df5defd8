import { isNonPublicAddress, urlRefusal } from '../src/domain/url-policy';

const PRODUCTION = { httpsOnly: true, allowPrivate: false };

describe('which receiver addresses are refused', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1',
    '64:ff9b::a00:1', '64:ff9b::192.168.0.1', 'not-an-address',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '36.86.63.182', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('subscription URLs', () => {
  it('takes a public https URL in production', () => {
    expect(urlRefusal('https://sistem.bimakab.go.id/lapor/webhook?x=1', PRODUCTION)).toBeNull();
    expect(urlRefusal('https://36.86.63.182:8443/hook', PRODUCTION)).toBeNull();
  });

  it.each([
    ['http://sistem.bimakab.go.id/hook', 'must be an https URL'],
    ['ftp://example.org/hook', 'must be an https URL'],
    ['sistem.bimakab.go.id/hook', 'must be an absolute URL'],
    ['https://user:pass@example.org/hook', 'must not carry a user name or password'],
    ['https://example.org/hook#part', 'must not have a fragment'],
    ['https://localhost/hook', 'must not point at a loopback, link-local or private address'],
    ['https://api.localhost/hook', 'must not point at a loopback, link-local or private address'],
    ['https://127.0.0.1/hook', 'must not point at a loopback, link-local or private address'],
    ['https://[::1]/hook', 'must not point at a loopback, link-local or private address'],
    ['https://0x7f000001/hook', 'must not point at a loopback, link-local or private address'],
    ['https://2130706433/hook', 'must not point at a loopback, link-local or private address'],
    [`https://example.org/${'a'.repeat(2000)}`, 'must be at most 2,000 characters'],
  ])('refuses %s in production', (url, reason) => {
    expect(urlRefusal(url, PRODUCTION)).toBe(reason);
  });

  it('takes http and private addresses where allowed (development, tests)', () => {
    expect(urlRefusal('http://127.0.0.1:8080/hook', { httpsOnly: false, allowPrivate: true })).toBeNull();
    expect(urlRefusal('http://example.org/hook', { httpsOnly: false, allowPrivate: false })).toBeNull();
    expect(urlRefusal('http://10.0.0.5/hook', { httpsOnly: false, allowPrivate: false })).toBe('must not point at a loopback, link-local or private address');
  });
});
