import { readFileSync } from 'node:fs';

export interface RegencyAreas {
  regencyCode: string;
  districts: { code: string; name: string; villages: { code: string; name: string }[] }[];
}

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/** `code,parent_code,name` rows of one of `idn-area-data`'s CSV files (Kemendagri codes, ODbL); names may be quoted. */
function rows(file: string): [string, string, string][] {
  const text = readFileSync(require.resolve(`idn-area-data/data/${file}`), 'utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [code, parent, ...rest] = line.split(',');
      return [code.trim(), parent.trim(), unquote(rest.join(',').trim())];
    });
}

let byRegency: Map<string, RegencyAreas> | null = null;

/**
 * The districts (kecamatan) and villages (desa/kelurahan) of one regency or city, for the portal's
 * place fields: no API lists them (the complaints subgraph only checks the codes), and the portal
 * fetches one regency at a time instead of the 2.8 MB village file. Read once, on first use.
 */
export function regencyAreas(regencyCode: string): RegencyAreas | null {
  if (!byRegency) {
    const index = new Map<string, RegencyAreas>();
    const districts = new Map<string, RegencyAreas['districts'][number]>();
    for (const [code, regency, name] of rows('districts.csv')) {
      const district = { code, name, villages: [] };
      districts.set(code, district);
      if (!index.has(regency)) index.set(regency, { regencyCode: regency, districts: [] });
      index.get(regency)!.districts.push(district);
    }
    for (const [code, district, name] of rows('villages.csv')) districts.get(district)?.villages.push({ code, name });
    byRegency = index;
  }
  return byRegency.get(regencyCode) ?? null;
}
