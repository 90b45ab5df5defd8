import { ExpiringCache } from '../src/expiring-cache';

describe('ExpiringCache', () => {
  it('keeps an answer (null included) until it expires', () => {
    const cache = new ExpiringCache<string, string | null>(1000);
    cache.set('known', 'region-52', 0);
    cache.set('unknown', null, 0);
    expect(cache.get('known', 999)).toEqual({ value: 'region-52' });
    expect(cache.get('unknown', 999)).toEqual({ value: null });
    expect(cache.get('missing', 999)).toBeUndefined();
    expect(cache.get('known', 1000)).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const cache = new ExpiringCache<number, number>(1000, 3);
    for (let key = 1; key <= 5; key++) cache.set(key, key * 10, 0);
    expect(cache.size).toBe(3);
    expect(cache.get(2, 1)).toBeUndefined();
    expect(cache.get(3, 1)).toEqual({ value: 30 });
    expect(cache.get(5, 1)).toEqual({ value: 50 });
  });
});
