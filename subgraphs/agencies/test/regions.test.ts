import { directoryRows } from '../src/seeders/national-directory.seeder';
import { loadRegions, regencyKind, regionAgencyId } from '../src/seeders/regions';

describe('regions from idn-area-data', () => {
  const regions = loadRegions();

  it('has 38 provinces and 514 regencies and cities, each under an existing province', () => {
    const provinces = regions.filter((region) => region.kind === 'PROVINCE');
    const below = regions.filter((region) => region.kind !== 'PROVINCE');
    expect(provinces).toHaveLength(38);
    expect(below).toHaveLength(514);
    const provinceCodes = new Set(provinces.map((province) => province.code));
    for (const regency of below) {
      expect(provinceCodes.has(regency.provinceCode!)).toBe(true);
      expect(regency.code.startsWith(`${regency.provinceCode}.`)).toBe(true);
    }
    expect(regions.find((region) => region.code === '52.06')).toEqual({ code: '52.06', name: 'Kabupaten Bima', kind: 'REGENCY', provinceCode: '52' });
  });

  it('tells a city from a regency by its official name', () => {
    expect(regencyKind('Kota Bima')).toBe('CITY');
    expect(regencyKind('Kabupaten Kotawaringin Barat')).toBe('REGENCY');
    expect(() => regencyKind('Bima')).toThrow();
  });
});

describe('the seeded directory', () => {
  const rows = directoryRows();

  it('has unique ids, one national root, and every parent seeded before its children', () => {
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(rows.filter((row) => row.parentId === null).map((row) => row.kind)).toEqual(['NATIONAL']);
    const seen = new Set<string>();
    for (const row of rows) {
      if (row.parentId) expect(seen.has(row.parentId)).toBe(true);
      seen.add(row.id);
    }
    expect(rows.find((row) => row.id === regionAgencyId('52'))?.name).toBe('Nusa Tenggara Barat');
  });
});
