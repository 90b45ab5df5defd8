import { readFileSync } from 'node:fs';

/** The codes in the first column of one of `idn-area-data`'s CSV files (Kemendagri codes, ODbL). */
function codesOf(file: string): Set<string> {
  const text = readFileSync(require.resolve(`idn-area-data/data/${file}`), 'utf8');
  return new Set(
    text
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.slice(0, line.indexOf(',')).trim())
      .filter((code) => code !== ''),
  );
}

let known: { districts: Set<string>; villages: Set<string> } | null = null;

/**
 * Whether the district (kecamatan, 7,285 of them) and village (desa/kelurahan, 83,762) codes of a
 * submission exist. Only the codes are kept (about 6 MB), read on first use; their names belong
 * to the agencies subgraph, which owns the regions.
 */
export function areaCodesExist(codes: { districtCode: string | null; villageCode: string | null }): { district: boolean; village: boolean } {
  known ??= { districts: codesOf('districts.csv'), villages: codesOf('villages.csv') };
  return {
    district: codes.districtCode === null || known.districts.has(codes.districtCode),
    village: codes.villageCode === null || known.villages.has(codes.villageCode),
  };
}
