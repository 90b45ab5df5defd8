import type { NodeFacts, Officer, Role } from '@lapor-hub/lib';
import type { SubmitComplaintInput } from '../src/domain/submission';

/** Plain directory facts of a small tree: the nation, a province, two of its regencies, a unit of one. */
export const NATIONAL: NodeFacts = { id: 'national', kind: 'NATIONAL', parentId: null, parentKind: null, ancestorIds: [], timeZone: 'Asia/Jakarta' };
export const PROVINCE: NodeFacts = { id: 'region-52', kind: 'PROVINCE', parentId: 'national', parentKind: 'NATIONAL', ancestorIds: ['national'], timeZone: 'Asia/Makassar' };
export const REGENCY: NodeFacts = {
  id: 'region-52.08',
  kind: 'REGENCY',
  parentId: 'region-52',
  parentKind: 'PROVINCE',
  ancestorIds: ['region-52', 'national'],
  timeZone: 'Asia/Makassar',
};
export const OTHER_REGENCY: NodeFacts = { ...REGENCY, id: 'region-52.01' };
export const UNIT: NodeFacts = {
  id: 'unit-52.08-health',
  kind: 'UNIT',
  parentId: 'region-52.08',
  parentKind: 'REGENCY',
  ancestorIds: ['region-52.08', 'region-52', 'national'],
  timeZone: 'Asia/Makassar',
};
export const PAPUA: NodeFacts = { id: 'region-91', kind: 'PROVINCE', parentId: 'national', parentKind: 'NATIONAL', ancestorIds: ['national'], timeZone: 'Asia/Jayapura' };
export const JAKARTA: NodeFacts = { id: 'region-31', kind: 'PROVINCE', parentId: 'national', parentKind: 'NATIONAL', ancestorIds: ['national'], timeZone: 'Asia/Jakarta' };

export const officer = (role: Role, agencyId: string): Officer => ({ kind: 'officer', sub: `${role}@${agencyId}`, role, agencyId });

/** A validated submission with no optional part. */
export const SUBMISSION: SubmitComplaintInput = {
  type: 'COMPLAINT',
  title: 'Puskesmas tutup',
  body: 'Puskesmas tutup pada jam kerja.',
  channel: 'WEB',
  regionCode: null,
  districtCode: null,
  villageCode: null,
  location: null,
  categoryId: null,
  addressedAgencyId: null,
  anonymous: false,
  confidential: false,
  reporter: null,
  idempotencyKey: null,
};

export const IDENTITY = { id: '00000000-0000-4000-8000-000000000001', trackingId: 'LPR-0000000000', reporterTokenHash: 'hash' };
