import sharp from 'sharp';

/** Evidence files as citizens and officers send them, for the tests of uploads and of the pages. */

export const SERIAL = 'SN-4242424242';
export const MODEL = 'KAMERA-RAHASIA-7';
// 8° 35' 12.34" S, 116° 7' 43.21" E (Lombok), as EXIF writes it: rationals.
const GPS_LATITUDE = '8/1 35/1 1234/100';
const GPS_LONGITUDE = '116/1 7/1 4321/100';

/** The latitude's three rationals as the bytes of an EXIF GPS entry, in either byte order. */
export function latitudeBytes(): Buffer[] {
  const values = [8, 1, 35, 1, 1234, 100];
  return ['BE', 'LE'].map((order) => {
    const bytes = Buffer.alloc(24);
    values.forEach((value, index) => (order === 'BE' ? bytes.writeUInt32BE(value, index * 4) : bytes.writeUInt32LE(value, index * 4)));
    return bytes;
  });
}

/** A photo as a phone writes it: camera make, model and serial, GPS coordinates. */
export function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 96, height: 64, channels: 3, background: '#b04020' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'KameraTest', Model: MODEL },
      IFD2: { BodySerialNumber: SERIAL },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: GPS_LATITUDE, GPSLongitudeRef: 'E', GPSLongitude: GPS_LONGITUDE },
    })
    .toBuffer();
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
