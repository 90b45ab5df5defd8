import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
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
export const AgencySchema = defineEntity({
  name: 'Agency',
  schema: 'agencies',
  tableName: 'agency',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    acronym: p.string().nullable(),
    kind: p.string().$type<AgencyKind>(),
    regionCode: p.string().nullable(),
    parentId: p.string().nullable(),
    /** IANA zone in which the node's working days end; a unit has its parent's. */
    timeZone: p.string().$type<TimeZone>().onCreate(() => NATIONAL_TIME_ZONE),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type Agency = InferEntity<typeof AgencySchema>;
