import { PROVINCE_CODES, TIME_ZONES, timeZoneOfProvince, timeZoneOfRegion } from '../src/domain/time-zones';
import { directoryRows } from '../src/seeders/national-directory.seeder';
import { loadRegions } from '../src/seeders/regions';

describe('timeZoneOfProvince', () => {
  it.each([
    ['11', 'Asia/Jakarta'], // Aceh
    ['21', 'Asia/Jakarta'], // Kepulauan Riau
    ['31', 'Asia/Jakarta'], // DKI Jakarta
    ['36', 'Asia/Jakarta'], // Banten
    ['61', 'Asia/Jakarta'], // Kalimantan Barat
    ['62', 'Asia/Jakarta'], // Kalimantan Tengah
    ['51', 'Asia/Makassar'], // Bali
    ['52', 'Asia/Makassar'], // Nusa Tenggara Barat
    ['53', 'Asia/Makassar'], // Nusa Tenggara Timur
    ['63', 'Asia/Makassar'], // Kalimantan Selatan
    ['65', 'Asia/Makassar'], // Kalimantan Utara
    ['71', 'Asia/Makassar'], // Sulawesi Utara
    ['76', 'Asia/Makassar'], // Sulawesi Barat
    ['81', 'Asia/Jayapura'], // Maluku
    ['82', 'Asia/Jayapura'], // Maluku Utara
    ['91', 'Asia/Jayapura'], // Papua
    ['94', 'Asia/Jayapura'], // Papua Tengah
    ['96', 'Asia/Jayapura'], // Papua Barat Daya
  ])('puts province %s in %s', (code, zone) => {
    expect(timeZoneOfProvince(code)).toBe(zone);
  });

  it.each(['', '00', '20', '54', '66', '99', '52.06', ' 52'])('throws on %j, which is no province code', (code) => {
    expect(() => timeZoneOfProvince(code)).toThrow(/Unknown province code/);
  });

  it('knows exactly the 38 provinces of the official list, each in one of the three zones', () => {
    const provinces = loadRegions().filter((region) => region.kind === 'PROVINCE');
    expect(provinces).toHaveLength(38);
    for (const province of provinces) expect(TIME_ZONES).toContain(timeZoneOfProvince(province.code));
    expect([...PROVINCE_CODES].sort()).toEqual(provinces.map((province) => province.code).sort());
  });

  it('places a regency or city in its province’s zone', () => {
    expect(timeZoneOfRegion('52.06')).toBe('Asia/Makassar');
    expect(timeZoneOfRegion('94.01')).toBe('Asia/Jayapura');
    expect(timeZoneOfRegion('31.71')).toBe('Asia/Jakarta');
  });
});

describe('time zones of the seeded directory', () => {
  const rows = directoryRows();
  const zoneOf = (id: string) => rows.find((row) => row.id === id)?.timeZone;

  it('gives regional governments their province’s zone and national bodies WIB', () => {
    expect(zoneOf('region-52.06')).toBe('Asia/Makassar'); // Kabupaten Bima
    expect(zoneOf('region-91.03')).toBe('Asia/Jayapura'); // Kabupaten Jayapura
    expect(zoneOf('region-94.01')).toBe('Asia/Jayapura'); // Kabupaten Nabire
    expect(zoneOf('region-31')).toBe('Asia/Jakarta'); // DKI Jakarta
    expect(zoneOf('region-64')).toBe('Asia/Makassar'); // Kalimantan Timur
    expect(zoneOf('kemenkes')).toBe('Asia/Jakarta');
    expect(zoneOf('kemenpanrb-lapor')).toBe('Asia/Jakarta');
  });

  it('gives every row a zone, and every regency or city its province’s', () => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const row of rows) {
      expect(TIME_ZONES).toContain(row.timeZone);
      if (row.kind === 'REGENCY' || row.kind === 'CITY') expect(row.timeZone).toBe(byId.get(row.parentId!)!.timeZone);
      if (row.regionCode === null) expect(row.timeZone).toBe('Asia/Jakarta');
    }
  });
});
