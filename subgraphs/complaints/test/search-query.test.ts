import { parseSearchQuery } from '../src/domain/search-query';

describe('parseSearchQuery', () => {
  it.each([
    ['jalan rusak', 'jalan rusak', null],
    ['sampah -pasar', 'sampah', 'pasar'],
    ['"air bersih" or banjir', 'air bersih banjir', null],
    ['jembatan -"desa bajo" -sungai', 'jembatan', '"desa bajo" or sungai'],
    ['-pasar', null, 'pasar'],
    ['- -- "', null, null],
    ['OR', null, null],
    ['a-b', 'a-b', null],
  ])('%j wants %j and excludes %j', (text, wanted, excluded) => {
    expect(parseSearchQuery(text)).toEqual({ text, wanted, excluded });
  });
});
