/**
 * Indonesia's three time zones, as IANA zones: WIB (UTC+7), WITA (UTC+8) and WIT (UTC+9). A node's
 * working day ends at 24:00 in its zone, which is what service-level deadlines count in.
 */
import { TIME_ZONES, type TimeZone } from '@lapor-hub/lib';

export { TIME_ZONES, type TimeZone };

/** The zone of national bodies (ministries, institutions, and the national node itself). */
export const NATIONAL_TIME_ZONE: TimeZone = 'Asia/Jakarta';

const WIB: TimeZone = 'Asia/Jakarta';
const WITA: TimeZone = 'Asia/Makassar';
const WIT: TimeZone = 'Asia/Jayapura';

/** The 38 provinces by Kemendagri code (the codes of idn-area-data). */
const PROVINCE_TIME_ZONES: ReadonlyMap<string, TimeZone> = new Map<string, TimeZone>([
  // Sumatra and the Riau Islands
  ['11', WIB], // Aceh
  ['12', WIB], // Sumatera Utara
  ['13', WIB], // Sumatera Barat
  ['14', WIB], // Riau
  ['15', WIB], // Jambi
  ['16', WIB], // Sumatera Selatan
  ['17', WIB], // Bengkulu
  ['18', WIB], // Lampung
  ['19', WIB], // Kepulauan Bangka Belitung
  ['21', WIB], // Kepulauan Riau
  // Java
  ['31', WIB], // DKI Jakarta
  ['32', WIB], // Jawa Barat
  ['33', WIB], // Jawa Tengah
  ['34', WIB], // DI Yogyakarta
  ['35', WIB], // Jawa Timur
  ['36', WIB], // Banten
  // Bali and Nusa Tenggara
  ['51', WITA], // Bali
  ['52', WITA], // Nusa Tenggara Barat
  ['53', WITA], // Nusa Tenggara Timur
  // Kalimantan: the west and centre keep WIB, the south, east and north are on WITA
  ['61', WIB], // Kalimantan Barat
  ['62', WIB], // Kalimantan Tengah
  ['63', WITA], // Kalimantan Selatan
  ['64', WITA], // Kalimantan Timur
  ['65', WITA], // Kalimantan Utara
  // Sulawesi
  ['71', WITA], // Sulawesi Utara
  ['72', WITA], // Sulawesi Tengah
  ['73', WITA], // Sulawesi Selatan
  ['74', WITA], // Sulawesi Tenggara
  ['75', WITA], // Gorontalo
  ['76', WITA], // Sulawesi Barat
  // Maluku
  ['81', WIT], // Maluku
  ['82', WIT], // Maluku Utara
  // Papua
  ['91', WIT], // Papua
  ['92', WIT], // Papua Barat
  ['93', WIT], // Papua Selatan
  ['94', WIT], // Papua Tengah
  ['95', WIT], // Papua Pegunungan
  ['96', WIT], // Papua Barat Daya
]);

/** The province codes this module knows, in code order. */
export const PROVINCE_CODES: readonly string[] = [...PROVINCE_TIME_ZONES.keys()];

/** The time zone of a province by its Kemendagri code (`52`); throws on a code that is no province. */
export function timeZoneOfProvince(provinceCode: string): TimeZone {
  const zone = PROVINCE_TIME_ZONES.get(provinceCode);
  if (!zone) throw new Error(`Unknown province code: ${JSON.stringify(provinceCode)}`);
  return zone;
}

/** The time zone of a province (`52`) or of a regency/city (`52.06`, which lies in province `52`). */
export function timeZoneOfRegion(regionCode: string): TimeZone {
  return timeZoneOfProvince(regionCode.split('.')[0]);
}
