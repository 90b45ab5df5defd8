import { readFileSync } from 'node:fs';
import { unitSlug } from '@lapor-hub/agencies/src/domain/units';
import { type TimeZone } from '@lapor-hub/lib';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';

// Reference data and randomness for `bench/generate.ts`: the work units of a regional government,
// what citizens write about, and a fast working-day calendar.

/** A small, fast, seedable PRNG (sfc32), so that the same seed gives the same nation. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Picks by weight in O(log n) from a cumulative table. */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('Weighted needs one weight per item');
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((weight, index) => {
      sum += weight;
      this.cumulative[index] = sum;
    });
    this.total = sum;
  }

  static of<T extends string>(table: Record<T, number>): Weighted<T> {
    const keys = Object.keys(table) as T[];
    return new Weighted(keys, keys.map((key) => table[key]));
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return this.items[low];
  }
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A version-4 UUID from the seeded PRNG. */
export function uuid(random: Random): string {
  const w = [random.uint32(), random.uint32(), random.uint32(), random.uint32()];
  const b = (word: number, shift: number) => HEX[(w[word] >>> shift) & 0xff];
  return (
    b(0, 24) + b(0, 16) + b(0, 8) + b(0, 0) + '-' +
    b(1, 24) + b(1, 16) + '-' +
    HEX[0x40 | ((w[1] >>> 8) & 0x0f)] + b(1, 0) + '-' +
    HEX[0x80 | ((w[2] >>> 24) & 0x3f)] + b(2, 16) + '-' +
    b(2, 8) + b(2, 0) + b(3, 24) + b(3, 16) + b(3, 8) + b(3, 0)
  );
}

// The same alphabet as the complaints subgraph's tracking ids (Crockford's base32).
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function trackingId(random: Random): string {
  let id = 'LPR-';
  const high = random.uint32();
  const low = random.uint32();
  for (let i = 0; i < 6; i++) id += CROCKFORD[(high >>> (i * 5)) & 31];
  for (let i = 0; i < 4; i++) id += CROCKFORD[(low >>> (i * 5)) & 31];
  return id;
}

// ---------------------------------------------------------------------------------------------
// Working days

const UTC_OFFSET_MS: Record<TimeZone, number> = {
  'Asia/Jakarta': 7 * 3_600_000,
  'Asia/Makassar': 8 * 3_600_000,
  'Asia/Jayapura': 9 * 3_600_000,
};
export const MS_PER_DAY = 86_400_000;

/**
 * The hub's `WorkingCalendar` (weekends, national holidays, cuti bersama), tabulated once for a
 * range of days so that a deadline is two array reads instead of a walk over dates: a million
 * complaints need several million deadlines. Gives exactly the calendar's answers (checked at start).
 */
export class FastCalendar {
  private readonly firstDay: number;
  /** cumulative[i]: working days in [firstDay, firstDay + i]. */
  private readonly cumulative: Int32Array;
  /** Every working day in the range, in order (epoch days). */
  private readonly workingDays: Int32Array;

  constructor(
    private readonly calendar: WorkingCalendar,
    from: Date,
    to: Date,
  ) {
    this.firstDay = Math.floor(from.getTime() / MS_PER_DAY) - 2;
    const lastDay = Math.ceil(to.getTime() / MS_PER_DAY) + 2;
    this.cumulative = new Int32Array(lastDay - this.firstDay + 1);
    const working: number[] = [];
    for (let day = this.firstDay; day <= lastDay; day++) {
      const date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
      if (calendar.isWorkingDay(date)) working.push(day);
      this.cumulative[day - this.firstDay] = working.length;
    }
    this.workingDays = Int32Array.from(working);
  }

  private localDay(at: number, zone: TimeZone): number {
    const index = Math.floor((at + UTC_OFFSET_MS[zone]) / MS_PER_DAY) - this.firstDay;
    if (index < 0 || index >= this.cumulative.length) throw new RangeError(`${new Date(at).toISOString()} is outside the tabulated calendar`);
    return index;
  }

  /** End (23:59:59.999 local) of the nth working day after `at` (epoch ms), in `zone`. */
  endOfNthWorkingDayAfter(at: number, n: number, zone: TimeZone): number {
    const position = this.cumulative[this.localDay(at, zone)] + n - 1;
    if (position >= this.workingDays.length) throw new RangeError('deadline beyond the tabulated calendar');
    return (this.workingDays[position] + 1) * MS_PER_DAY - 1 - UTC_OFFSET_MS[zone];
  }

  /** Working days after `from`'s local date up to and including `to`'s (as the hub counts them). */
  workingDaysBetween(from: number, to: number, zone: TimeZone): number {
    return Math.max(0, this.cumulative[this.localDay(to, zone)] - this.cumulative[this.localDay(from, zone)]);
  }

  /** Compares a sample of answers with the hub's own calendar; throws on any difference. */
  selfCheck(random: Random, from: Date, to: Date): void {
    const zones: TimeZone[] = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
    for (let i = 0; i < 2000; i++) {
      const a = from.getTime() + random.next() * (to.getTime() - from.getTime() - 40 * MS_PER_DAY);
      const b = a + random.next() * 30 * MS_PER_DAY;
      const zone = random.pick(zones);
      const n = 1 + random.int(10);
      const expected = this.calendar.endOfNthWorkingDayAfter(new Date(a), n, zone).getTime();
      const actual = this.endOfNthWorkingDayAfter(a, n, zone);
      if (expected !== actual) throw new Error(`FastCalendar differs from WorkingCalendar at ${new Date(a).toISOString()} +${n} ${zone}`);
      if (this.calendar.workingDaysBetween(new Date(a), new Date(b), zone) !== this.workingDaysBetween(a, b, zone)) {
        throw new Error(`FastCalendar.workingDaysBetween differs at ${new Date(a).toISOString()}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The work units (perangkat daerah) of every province, regency and city

export interface UnitSeed {
  name: string;
  acronym: string;
}

/** ~30 perangkat daerah, as a typical Pemda has them (names vary a little between regions). */
export const REGIONAL_UNITS: UnitSeed[] = [
  { name: 'Sekretariat Daerah', acronym: 'Setda' },
  { name: 'Sekretariat DPRD', acronym: 'Setwan' },
  { name: 'Inspektorat Daerah', acronym: 'Inspektorat' },
  { name: 'Badan Perencanaan Pembangunan Daerah', acronym: 'Bappeda' },
  { name: 'Badan Pengelolaan Keuangan dan Aset Daerah', acronym: 'BPKAD' },
  { name: 'Badan Pendapatan Daerah', acronym: 'Bapenda' },
  { name: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', acronym: 'BKPSDM' },
  { name: 'Badan Penanggulangan Bencana Daerah', acronym: 'BPBD' },
  { name: 'Badan Kesatuan Bangsa dan Politik', acronym: 'Kesbangpol' },
  { name: 'Satuan Polisi Pamong Praja', acronym: 'Satpol PP' },
  { name: 'Dinas Pendidikan', acronym: 'Disdik' },
  { name: 'Dinas Kesehatan', acronym: 'Dinkes' },
  { name: 'Rumah Sakit Umum Daerah', acronym: 'RSUD' },
  { name: 'Dinas Pekerjaan Umum dan Penataan Ruang', acronym: 'Dinas PUPR' },
  { name: 'Dinas Perumahan Rakyat dan Kawasan Permukiman', acronym: 'Disperkim' },
  { name: 'Dinas Sosial', acronym: 'Dinsos' },
  { name: 'Dinas Tenaga Kerja', acronym: 'Disnaker' },
  { name: 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak', acronym: 'DP3A' },
  { name: 'Dinas Ketahanan Pangan', acronym: 'DKP' },
  { name: 'Dinas Lingkungan Hidup', acronym: 'DLH' },
  { name: 'Dinas Kependudukan dan Pencatatan Sipil', acronym: 'Disdukcapil' },
  { name: 'Dinas Pemberdayaan Masyarakat dan Desa', acronym: 'DPMD' },
  { name: 'Dinas Perhubungan', acronym: 'Dishub' },
  { name: 'Dinas Komunikasi dan Informatika', acronym: 'Diskominfo' },
  { name: 'Dinas Koperasi dan Usaha Kecil Menengah', acronym: 'Diskop UKM' },
  { name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', acronym: 'DPMPTSP' },
  { name: 'Dinas Kepemudaan dan Olahraga', acronym: 'Dispora' },
  { name: 'Dinas Pariwisata dan Kebudayaan', acronym: 'Disparbud' },
  { name: 'Dinas Perpustakaan dan Kearsipan', acronym: 'Dispusip' },
  { name: 'Dinas Pertanian dan Perikanan', acronym: 'Distankan' },
];

/** The Inspectorate's unit slug, as the agencies subgraph names units (`unitSlug`). */
export const INSPECTORATE_SLUG = unitSlug('Inspektorat Daerah');

// ---------------------------------------------------------------------------------------------
// What citizens write about

/** Share of complaints by LAPOR! category (roughly the published category rankings). */
export const CATEGORY_WEIGHTS: Record<string, number> = {
  INFRASTRUCTURE: 14,
  SOCIAL_ASSISTANCE: 10,
  HEALTH: 10,
  EDUCATION_CULTURE: 9,
  CIVIL_REGISTRATION: 8,
  REGIONAL_DEVELOPMENT: 4,
  VILLAGE_FUNDS: 4,
  TRANSPORTATION: 5,
  ENVIRONMENT_FORESTRY: 4,
  EMPLOYMENT: 4,
  PUBLIC_ORDER: 3,
  PERMITS: 3,
  LAND: 3,
  ENERGY: 3,
  CIVIL_SERVICE: 2,
  FINANCE_BANKING: 2,
  TAXATION: 2,
  HOUSING: 2,
  COMMUNICATIONS: 2,
  AGRICULTURE: 2,
  FREE_NUTRITIOUS_MEALS: 2,
  POLICE: 2,
  RELIGION: 1,
  LAW_HUMAN_RIGHTS: 1,
  DISASTER: 1,
  TOURISM_CREATIVE_ECONOMY: 1,
  SUPERVISION: 2,
  OTHER: 4,
};

/** The perangkat daerah that handles a category inside a regional government. */
export const CATEGORY_UNIT: Record<string, string> = {
  INFRASTRUCTURE: 'Dinas Pekerjaan Umum dan Penataan Ruang',
  SOCIAL_ASSISTANCE: 'Dinas Sosial',
  HEALTH: 'Dinas Kesehatan',
  EDUCATION_CULTURE: 'Dinas Pendidikan',
  CIVIL_REGISTRATION: 'Dinas Kependudukan dan Pencatatan Sipil',
  REGIONAL_DEVELOPMENT: 'Badan Perencanaan Pembangunan Daerah',
  VILLAGE_FUNDS: 'Dinas Pemberdayaan Masyarakat dan Desa',
  TRANSPORTATION: 'Dinas Perhubungan',
  ENVIRONMENT_FORESTRY: 'Dinas Lingkungan Hidup',
  EMPLOYMENT: 'Dinas Tenaga Kerja',
  PUBLIC_ORDER: 'Satuan Polisi Pamong Praja',
  PERMITS: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
  LAND: 'Sekretariat Daerah',
  ENERGY: 'Dinas Pekerjaan Umum dan Penataan Ruang',
  CIVIL_SERVICE: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
  TAXATION: 'Badan Pendapatan Daerah',
  HOUSING: 'Dinas Perumahan Rakyat dan Kawasan Permukiman',
  COMMUNICATIONS: 'Dinas Komunikasi dan Informatika',
  AGRICULTURE: 'Dinas Pertanian dan Perikanan',
  FREE_NUTRITIOUS_MEALS: 'Dinas Ketahanan Pangan',
  DISASTER: 'Badan Penanggulangan Bencana Daerah',
  TOURISM_CREATIVE_ECONOMY: 'Dinas Pariwisata dan Kebudayaan',
  SUPERVISION: 'Inspektorat Daerah',
};

/** The ministry (or other national body) a category is addressed to when it goes to the centre. */
export const CATEGORY_NATIONAL_BODY: Record<string, string[]> = {
  INFRASTRUCTURE: ['kemen-pu'],
  SOCIAL_ASSISTANCE: ['kemensos'],
  HEALTH: ['kemenkes', 'bpjs-kesehatan'],
  EDUCATION_CULTURE: ['kemendikdasmen', 'kemendiktisaintek'],
  CIVIL_REGISTRATION: ['kemendagri'],
  REGIONAL_DEVELOPMENT: ['kemendes-pdt', 'kemen-ppn-bappenas'],
  VILLAGE_FUNDS: ['kemendes-pdt'],
  TRANSPORTATION: ['kemenhub'],
  ENVIRONMENT_FORESTRY: ['klh-bplh', 'kemenhut'],
  EMPLOYMENT: ['kemnaker', 'kp2mi', 'bpjs-ketenagakerjaan'],
  PERMITS: ['kemen-investasi-bkpm'],
  LAND: ['kemen-atr-bpn'],
  ENERGY: ['kemen-esdm', 'pln', 'pertamina'],
  CIVIL_SERVICE: ['bkn', 'kemenpanrb'],
  FINANCE_BANKING: ['ojk', 'kemenkeu'],
  TAXATION: ['kemenkeu'],
  HOUSING: ['kemen-pkp'],
  COMMUNICATIONS: ['komdigi'],
  AGRICULTURE: ['kementan'],
  FREE_NUTRITIOUS_MEALS: ['bgn'],
  POLICE: ['polri'],
  RELIGION: ['kemenag'],
  LAW_HUMAN_RIGHTS: ['kemenkum', 'kemenham', 'kemenimipas'],
  DISASTER: ['bnpb'],
  TOURISM_CREATIVE_ECONOMY: ['kemenpar', 'kemenekraf'],
};

const PROBLEMS: Record<string, { titles: string[]; bodies: string[] }> = {
  INFRASTRUCTURE: {
    titles: ['Jalan rusak parah di {place}', 'Jembatan penghubung {place} ambruk', 'Drainase tersumbat menyebabkan banjir di {place}', 'Lampu penerangan jalan mati di {place}'],
    bodies: [
      'Jalan utama di {place} berlubang dan tergenang air setiap hujan, sudah beberapa kali terjadi kecelakaan sepeda motor.',
      'Jembatan yang menghubungkan {place} dengan pusat kecamatan rusak sehingga anak-anak harus memutar jauh untuk ke sekolah.',
      'Saluran air di sepanjang jalan {place} tersumbat sampah dan lumpur, setiap hujan deras air masuk ke rumah warga.',
    ],
  },
  SOCIAL_ASSISTANCE: {
    titles: ['Bantuan PKH tidak cair di {place}', 'Warga miskin tidak terdaftar DTKS di {place}', 'Penyaluran BLT tidak tepat sasaran di {place}'],
    bodies: [
      'Keluarga kami terdaftar sebagai penerima PKH tetapi sudah tiga tahap bantuan tidak masuk ke rekening.',
      'Beberapa tetangga yang mampu menerima bantuan sosial sementara lansia yang hidup sendiri di {place} tidak pernah didata.',
    ],
  },
  HEALTH: {
    titles: ['Pelayanan puskesmas {place} lambat', 'Pasien BPJS ditolak rumah sakit', 'Obat kosong di puskesmas {place}'],
    bodies: [
      'Antrean di puskesmas {place} sangat panjang dan dokter baru datang menjelang siang, pasien lansia menunggu berjam-jam.',
      'Ibu saya peserta BPJS Kesehatan aktif tetapi diminta membayar biaya tindakan di rumah sakit daerah.',
    ],
  },
  EDUCATION_CULTURE: {
    titles: ['Pungutan liar di sekolah {place}', 'Dana BOS tidak transparan', 'Masalah PPDB zonasi di {place}'],
    bodies: [
      'Sekolah negeri di {place} meminta sumbangan wajib untuk seragam dan gedung kepada orang tua murid baru.',
      'Anak kami tidak diterima melalui jalur zonasi padahal rumah kami berjarak kurang dari satu kilometer dari sekolah.',
    ],
  },
  CIVIL_REGISTRATION: {
    titles: ['KTP elektronik belum jadi', 'Pengurusan akta kelahiran dipersulit', 'Blanko KTP kosong di Disdukcapil'],
    bodies: [
      'Saya sudah melakukan perekaman KTP elektronik enam bulan lalu tetapi sampai sekarang belum dicetak dengan alasan blanko kosong.',
      'Pengurusan akta kelahiran anak di kantor kecamatan {place} diminta biaya padahal seharusnya gratis.',
    ],
  },
  VILLAGE_FUNDS: {
    titles: ['Penggunaan dana desa {place} tidak transparan', 'Proyek dana desa mangkrak di {place}'],
    bodies: ['Pembangunan jalan usaha tani dari dana desa di {place} berhenti di tengah jalan dan tidak ada papan informasi anggaran.'],
  },
  TRANSPORTATION: {
    titles: ['Angkutan umum ngetem sembarangan di {place}', 'Pungli di terminal {place}', 'Rambu lalu lintas rusak di {place}'],
    bodies: ['Petugas tidak resmi di terminal {place} meminta uang kepada sopir angkutan setiap kali masuk terminal.'],
  },
  ENVIRONMENT_FORESTRY: {
    titles: ['Sampah menumpuk di {place}', 'Pencemaran sungai oleh limbah pabrik di {place}'],
    bodies: ['Sampah di tempat penampungan sementara {place} tidak diangkut selama dua minggu dan menimbulkan bau busuk.'],
  },
  EMPLOYMENT: {
    titles: ['Gaji di bawah UMK', 'THR tidak dibayar perusahaan', 'PHK sepihak tanpa pesangon'],
    bodies: ['Perusahaan tempat saya bekerja di {place} membayar upah di bawah UMK dan tidak mendaftarkan pekerja ke BPJS Ketenagakerjaan.'],
  },
  FREE_NUTRITIOUS_MEALS: {
    titles: ['Menu Makan Bergizi Gratis basi di {place}', 'Distribusi MBG terlambat di sekolah {place}'],
    bodies: ['Makanan program MBG yang diterima siswa di {place} berbau dan beberapa anak mengeluh sakit perut.'],
  },
};

const GENERIC = {
  titles: ['Pelayanan publik di {place} mengecewakan', 'Mohon tindak lanjut keluhan warga {place}', 'Keluhan masyarakat {place}'],
  bodies: [
    'Kami warga {place} sudah beberapa kali menyampaikan keluhan ini melalui kantor kelurahan tetapi belum ada tanggapan.',
    'Petugas layanan di {place} tidak ramah dan tidak memberikan informasi persyaratan yang jelas.',
  ],
};

const SINCE = ['sejak tiga bulan terakhir', 'sejak awal tahun', 'sudah lebih dari satu minggu', 'sejak musim hujan', 'berulang kali'];
const REQUESTS = [
  'Mohon instansi terkait segera menindaklanjuti.',
  'Kami berharap ada perbaikan secepatnya.',
  'Mohon ditinjau langsung ke lokasi.',
  'Terima kasih atas perhatiannya.',
  'Kami siap memberikan keterangan tambahan bila diperlukan.',
];

export interface Place {
  village: string;
  district: string;
}

/** Villages (desa/kelurahan) and districts (kecamatan) of each regency/city code, from idn-area-data. */
export function loadPlaces(): Map<string, Place[]> {
  const read = (file: string) =>
    readFileSync(require.resolve(`idn-area-data/data/${file}`), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(','));
  const districts = new Map(read('districts.csv').map(([code, , name]) => [code, name.trim()]));
  const byRegency = new Map<string, Place[]>();
  for (const [code, districtCode, name] of read('villages.csv')) {
    if (!code || !name) continue;
    const regency = districtCode.slice(0, 5);
    let list = byRegency.get(regency);
    if (!list) byRegency.set(regency, (list = []));
    // Every fourth village is plenty for variety and keeps the tables small.
    if (list.length < 60 || code.endsWith('1')) list.push({ village: name.trim(), district: districts.get(districtCode) ?? name.trim() });
  }
  return byRegency;
}

/** A complaint's title and body (100–900 characters), in Indonesian, about a place. */
export function complaintText(random: Random, categoryId: string, place: string): { title: string; body: string } {
  const texts = PROBLEMS[categoryId] ?? GENERIC;
  const fill = (template: string) => template.replaceAll('{place}', place);
  const title = fill(random.pick(texts.titles));
  const parts = [fill(random.pick(texts.bodies)), `Masalah ini terjadi ${random.pick(SINCE)}.`];
  if (random.chance(0.5)) parts.push(fill(random.pick(GENERIC.bodies)));
  if (random.chance(0.3)) parts.push(fill(random.pick((PROBLEMS[categoryId] ?? GENERIC).bodies)));
  parts.push(random.pick(REQUESTS));
  return { title, body: parts.join(random.chance(0.4) ? '\n\n' : ' ') };
}

export const REJECTION_REASONS = [
  'Laporan tidak jelas: mohon lengkapi lokasi dan waktu kejadian.',
  'Bukan kewenangan pemerintah: sengketa antara pihak swasta.',
  'Perkara sedang dalam proses peradilan.',
  'Laporan ganda dengan laporan sebelumnya.',
  'Laporan bersifat tindak pidana: silakan melapor ke kepolisian.',
  'Isi laporan tidak memuat keluhan pelayanan publik.',
];

export const FIRST_NAMES = ['Siti', 'Budi', 'Agus', 'Dewi', 'Sri', 'Ahmad', 'Nur', 'Rina', 'Andi', 'Wayan', 'Made', 'Putu', 'Yohanes', 'Maria', 'Fitri', 'Rizky', 'Dian', 'Eko', 'Hendra', 'Yuliana', 'Muhammad', 'Fajar', 'Ratna', 'Bambang', 'Lestari'];
export const LAST_NAMES = ['Rahayu', 'Santoso', 'Wijaya', 'Saputra', 'Hidayat', 'Lubis', 'Siregar', 'Nasution', 'Pratama', 'Kurniawan', 'Simanjuntak', 'Halim', 'Setiawan', 'Wulandari', 'Gunawan', 'Manurung', 'Sinaga', 'Tanjung', 'Harahap', 'Putri'];
