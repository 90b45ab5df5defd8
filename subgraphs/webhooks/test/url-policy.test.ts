import { urlRefusal } from '../src/domain/url-policy';

// Which addresses are not public is lib's (lib/test/url-policy.test.ts), shared with the registry.

const PRODUCTION = { httpsOnly: true, allowPrivate: false };

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
