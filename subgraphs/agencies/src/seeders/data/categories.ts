// Source: public SP4N-LAPOR! topic categories (lapor.go.id) and official sector names; a representative set.

/** A LAPOR! topic category (kategori laporan). */
export interface CategorySeed {
  id: string;
  name: string;
  description: string;
}

export const CATEGORIES: CategorySeed[] = [
  { id: 'HEALTH', name: 'Kesehatan', description: 'Health services, hospitals, clinics and public health' },
  { id: 'TRANSPORTATION', name: 'Perhubungan', description: 'Public transport, traffic and transport facilities' },
  {
    id: 'EDUCATION_CULTURE',
    name: 'Pendidikan dan Kebudayaan',
    description: 'Schools, universities, admissions and culture',
  },
  {
    id: 'CIVIL_REGISTRATION',
    name: 'Kependudukan dan Catatan Sipil',
    description: 'Identity cards, family cards and civil registration documents',
  },
  { id: 'PERMITS', name: 'Perizinan', description: 'Business and building permits and licensing services' },
  {
    id: 'ENVIRONMENT_FORESTRY',
    name: 'Lingkungan Hidup dan Kehutanan',
    description: 'Pollution, waste management and forest protection',
  },
  {
    id: 'TOURISM_CREATIVE_ECONOMY',
    name: 'Pariwisata dan Ekonomi Kreatif',
    description: 'Tourist destinations and the creative economy',
  },
  {
    id: 'REGIONAL_DEVELOPMENT',
    name: 'Pembangunan Desa, Daerah Tertinggal, dan Transmigrasi',
    description: 'Village and underdeveloped-region development and transmigration',
  },
  { id: 'VILLAGE_FUNDS', name: 'Dana Desa', description: 'Allocation and use of village funds' },
  {
    id: 'INFRASTRUCTURE',
    name: 'Pekerjaan Umum dan Penataan Ruang',
    description: 'Roads, bridges, water supply, drainage and spatial planning',
  },
  { id: 'HOUSING', name: 'Perumahan', description: 'Public housing and residential settlements' },
  { id: 'EMPLOYMENT', name: 'Ketenagakerjaan', description: 'Wages, labour rights, job training and migrant workers' },
  {
    id: 'COMMUNICATIONS',
    name: 'Komunikasi dan Informatika',
    description: 'Telecommunications, internet services and digital content',
  },
  {
    id: 'FINANCE_BANKING',
    name: 'Perbankan dan Keuangan',
    description: 'Banking, credit, insurance and financial services',
  },
  { id: 'TAXATION', name: 'Perpajakan', description: 'National and regional taxes and levies' },
  { id: 'SOCIAL_ASSISTANCE', name: 'Bantuan Sosial', description: 'Social aid programmes and beneficiary data' },
  { id: 'ENERGY', name: 'Energi dan Sumber Daya Mineral', description: 'Electricity, fuel, LPG and mining' },
  { id: 'AGRICULTURE', name: 'Pertanian dan Peternakan', description: 'Farming, fertiliser, livestock and food crops' },
  {
    id: 'FREE_NUTRITIOUS_MEALS',
    name: 'Makan Bergizi Gratis',
    description: 'The national free nutritious meals programme',
  },
  { id: 'RELIGION', name: 'Agama', description: 'Religious affairs, places of worship and pilgrimage services' },
  {
    id: 'LAW_HUMAN_RIGHTS',
    name: 'Hukum dan Hak Asasi Manusia',
    description: 'Legal services, justice and human rights',
  },
  { id: 'LAND', name: 'Pertanahan', description: 'Land certificates, disputes and land administration' },
  { id: 'POLICE', name: 'Kepolisian', description: 'Police services and conduct' },
  {
    id: 'PUBLIC_ORDER',
    name: 'Ketentraman dan Ketertiban Umum',
    description: 'Public order, nuisances and local regulation enforcement',
  },
  { id: 'DISASTER', name: 'Penanggulangan Bencana', description: 'Disaster preparedness, response and recovery' },
  { id: 'CIVIL_SERVICE', name: 'Kepegawaian', description: 'Civil servant recruitment, conduct and administration' },
  {
    id: 'SUPERVISION',
    name: 'Pengawasan dan Penyalahgunaan Wewenang',
    description: 'Oversight of officials, abuse of authority and corruption',
  },
  { id: 'OTHER', name: 'Lainnya', description: 'Reports not covered by other categories' },
];
