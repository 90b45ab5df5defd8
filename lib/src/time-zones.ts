/** Indonesia's three zones (WIB, WITA, WIT), in which a node's working days end. No DST. */
export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export type TimeZone = (typeof TIME_ZONES)[number];
