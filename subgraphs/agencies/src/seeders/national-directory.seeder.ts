import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { NATIONAL_TIME_ZONE, timeZoneOfRegion } from '../domain/time-zones';
import { AgencyRepository } from '../agency-repository';
import { AgencySchema, type Agency, type AgencyKind } from '../entities/agency';
import { CategorySchema } from '../entities/category';
import { CATEGORIES } from './data/categories';
import {
  INSTITUTIONS,
  MINISTRIES,
  NATIONAL_NODE,
  OVERSEAS_MISSIONS,
  STATE_ENTERPRISES,
  UNIVERSITIES,
  type NationalBodySeed,
} from './data/national-bodies';
import { loadRegions, regionAgencyId } from './regions';

type AgencyRow = Pick<Agency, 'id' | 'name' | 'acronym' | 'kind' | 'regionCode' | 'parentId' | 'timeZone'>;

/** Every node the hub starts with, parents before children. */
export function directoryRows(): AgencyRow[] {
  const national: AgencyRow = { ...NATIONAL_NODE, kind: 'NATIONAL', regionCode: null, parentId: null, timeZone: NATIONAL_TIME_ZONE };
  const underNational = (kind: AgencyKind, bodies: NationalBodySeed[]): AgencyRow[] =>
    bodies.map((body) => ({ ...body, kind, regionCode: null, parentId: NATIONAL_NODE.id, timeZone: NATIONAL_TIME_ZONE }));
  const regions = loadRegions().map(
    (region): AgencyRow => ({
      id: regionAgencyId(region.code),
      name: region.name,
      acronym: null,
      kind: region.kind,
      regionCode: region.code,
      parentId: region.provinceCode ? regionAgencyId(region.provinceCode) : NATIONAL_NODE.id,
      // A regency or city (`52.06`) lies in the zone of its province (`52`).
      timeZone: timeZoneOfRegion(region.code),
    }),
  );
  return [
    national,
    ...underNational('MINISTRY', MINISTRIES),
    ...underNational('INSTITUTION', INSTITUTIONS),
    ...underNational('STATE_ENTERPRISE', STATE_ENTERPRISES),
    ...underNational('UNIVERSITY', UNIVERSITIES),
    ...underNational('OVERSEAS_MISSION', OVERSEAS_MISSIONS),
    ...regions.filter((region) => region.kind === 'PROVINCE'),
    ...regions.filter((region) => region.kind !== 'PROVINCE'),
  ];
}

/**
 * Seeds the national directory: the national node, ministries, a sample of other national bodies,
 * every province and regency/city (each in its province's time zone), and the topic categories.
 * Upserts by id, so it runs on every start: a fresh database gets everything, an existing one picks
 * up corrected names and zones.
 */
export class NationalDirectorySeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    await em.transactional(async (tx) => {
      await tx.upsertMany(AgencySchema, directoryRows(), {
        onConflictFields: ['id'],
        onConflictMergeFields: ['name', 'acronym', 'kind', 'regionCode', 'parentId', 'timeZone'],
      });
      // Units live in their parent's zone, also when a seeded node's zone was corrected.
      await new AgencyRepository(tx).alignUnitTimeZones();
      await tx.upsertMany(CategorySchema, CATEGORIES, { onConflictFields: ['id'], onConflictMergeFields: ['name', 'description'] });
    });
  }
}
