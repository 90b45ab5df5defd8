import type { NodeFacts, Officer, Role } from '@lapor-hub/lib';

/** A small tree: the national node, a province (WITA), two of its regencies, a regency's Inspectorate unit. */
export const national: NodeFacts = { id: 'kemenpanrb-lapor', kind: 'NATIONAL', parentId: null, parentKind: null, ancestorIds: [], timeZone: 'Asia/Jakarta' };
export const province: NodeFacts = {
  id: 'region-52',
  kind: 'PROVINCE',
  parentId: national.id,
  parentKind: 'NATIONAL',
  ancestorIds: [national.id],
  timeZone: 'Asia/Makassar',
};
export const regency: NodeFacts = {
  id: 'region-52.06',
  kind: 'REGENCY',
  parentId: province.id,
  parentKind: 'PROVINCE',
  ancestorIds: [province.id, national.id],
  timeZone: 'Asia/Makassar',
};
export const otherRegency: NodeFacts = { ...regency, id: 'region-52.01' };
export const inspectorate: NodeFacts = {
  id: 'region-52.06.unit-inspektorat',
  kind: 'UNIT',
  parentId: regency.id,
  parentKind: 'REGENCY',
  ancestorIds: [regency.id, province.id, national.id],
  timeZone: 'Asia/Makassar',
};
export const ministry: NodeFacts = { id: 'kemenkes', kind: 'MINISTRY', parentId: national.id, parentKind: 'NATIONAL', ancestorIds: [national.id], timeZone: 'Asia/Jakarta' };

export const officer = (role: Role, agencyId: string): Officer => ({ kind: 'officer', sub: `${role}@${agencyId}`, role, agencyId });

/** The error code a rule throws, or ALLOWED. */
export function outcome(rule: () => unknown): string {
  try {
    rule();
    return 'ALLOWED';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code ?? String(error);
  }
}
