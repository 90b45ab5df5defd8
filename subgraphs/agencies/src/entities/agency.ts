import { EntitySchema } from '@mikro-orm/core';
import { NATIONAL_TIME_ZONE, type TimeZone } from '../domain/time-zones';

export const AGENCY_KINDS = [
  'NATIONAL',
  'MINISTRY',
  'INSTITUTION',
  'PROVINCE',
  'REGENCY',
  'CITY',
  'STATE_ENTERPRISE',
  'OVERSEAS_MISSION',
  'UNIVERSITY',
  'UNIT',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** A hub node. The tree is kept as a plain `parentId` so that loaders, not lazy relations, walk it. */
export class Agency {
  id!: string;
  name!: string;
  acronym: string | null = null;
  kind!: AgencyKind;
  regionCode: string | null = null;
  parentId: string | null = null;
  /** IANA zone in which the node's working days end; a unit has its parent's. */
  timeZone: TimeZone = NATIONAL_TIME_ZONE;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const AgencySchema = new EntitySchema<Agency>({
  class: Agency,
  schema: 'agencies',
  tableName: 'agency',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    acronym: { type: 'string', nullable: true },
    kind: { type: 'string' },
    regionCode: { type: 'string', nullable: true },
    parentId: { type: 'string', nullable: true },
    timeZone: { type: 'string' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date', onUpdate: () => new Date() },
  },
});
