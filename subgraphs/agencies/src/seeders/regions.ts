import { readFileSync } from 'node:fs';

export interface RegionSeed {
  /** Official Kemendagri code: `52` (province) or `52.06` (regency/city). */
  code: string;
  name: string;
  kind: 'PROVINCE' | 'REGENCY' | 'CITY';
  /** Province code of a regency or city. */
  provinceCode: string | null;
}

/** Regions are keyed by their official code so that a region's node id never changes. */
export function regionAgencyId(code: string): string {
  return `region-${code}`;
}

function readCsv(file: string): string[][] {
  const text = readFileSync(require.resolve(`idn-area-data/data/${file}`), 'utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

/** The regency/city kind is part of the official name: `Kota Bima` is a city, `Kabupaten Bima` a regency. */
export function regencyKind(name: string): 'REGENCY' | 'CITY' {
  if (name.startsWith('Kota ')) return 'CITY';
  if (name.startsWith('Kabupaten ')) return 'REGENCY';
  throw new Error(`Cannot tell regency from city: ${name}`);
}

/** All 38 provinces and 514 regencies/cities from `idn-area-data` (Kemendagri codes, ODbL). */
export function loadRegions(): RegionSeed[] {
  const provinces = readCsv('provinces.csv').map(([code, name]): RegionSeed => ({ code, name, kind: 'PROVINCE', provinceCode: null }));
  const regencies = readCsv('regencies.csv').map(
    ([code, provinceCode, name]): RegionSeed => ({ code, name, kind: regencyKind(name), provinceCode }),
  );
  return [...provinces, ...regencies];
}
