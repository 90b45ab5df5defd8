import type { Client } from 'pg';
import { unitAgencyId } from '@lapor-hub/agencies/src/domain/units';
import type { TimeZone } from '@lapor-hub/lib';
import { REGIONAL_UNITS } from '../nation';
import { arrayLiteral } from './copy';

/** The directory as the generator sees it: the agencies tree, with the work units it adds to every region. */

export interface AgencyNode {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  timeZone: TimeZone;
  regionCode: string | null;
  parent: AgencyNode | null;
  /** Parent first, national node last. */
  ancestorIds: string[];
  homeId: string;
  homeKind: string;
  /** `holder_path` as a COPY text[] literal: the node, its home, every ancestor. */
  pathLiteral: string;
  /** The node's units by slug (`dinas-kesehatan`). */
  units: Map<string, AgencyNode>;
  unitList: AgencyNode[];
  /** Regencies and cities of a province. */
  children: AgencyNode[];
}

/** The perangkat daerah of every province, regency and city, in one statement; returns how many units the directory holds. */
export async function insertUnits(client: Client): Promise<number> {
  const parents = (
    await client.query<{ id: string; time_zone: string }>(`select id, time_zone from agencies.agency where kind in ('PROVINCE', 'REGENCY', 'CITY') order by id`)
  ).rows;
  const ids: string[] = [];
  const names: string[] = [];
  const acronyms: string[] = [];
  const parentIds: string[] = [];
  const zones: string[] = [];
  for (const parent of parents) {
    for (const unit of REGIONAL_UNITS) {
      ids.push(unitAgencyId(parent.id, unit.name));
      names.push(unit.name);
      acronyms.push(unit.acronym);
      parentIds.push(parent.id);
      zones.push(parent.time_zone);
    }
  }
  await client.query(
    `insert into agencies.agency (id, name, acronym, kind, region_code, parent_id, time_zone)
     select id, name, acronym, 'UNIT', null, parent_id, time_zone
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as u(id, name, acronym, parent_id, time_zone)
     on conflict (id) do nothing`,
    [ids, names, acronyms, parentIds, zones],
  );
  const { rows } = await client.query(`select count(*)::int as count from agencies.agency where kind = 'UNIT'`);
  return rows[0].count;
}

/** Every agency, linked to its parent, units and ancestors. */
export async function loadDirectory(client: Client): Promise<Map<string, AgencyNode>> {
  const rows = (
    await client.query<{ id: string; name: string; kind: string; parent_id: string | null; time_zone: TimeZone; region_code: string | null }>(
      `select id, name, kind, parent_id, time_zone, region_code from agencies.agency`,
    )
  ).rows;
  const nodes = new Map<string, AgencyNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      name: row.name,
      kind: row.kind,
      parentId: row.parent_id,
      timeZone: row.time_zone,
      regionCode: row.region_code,
      parent: null,
      ancestorIds: [],
      homeId: row.id,
      homeKind: row.kind,
      pathLiteral: '',
      units: new Map(),
      unitList: [],
      children: [],
    });
  }
  for (const node of nodes.values()) {
    node.parent = node.parentId ? (nodes.get(node.parentId) ?? null) : null;
    if (node.kind === 'UNIT' && node.parent) {
      node.parent.units.set(node.id.slice(node.parent.id.length + '.unit-'.length), node);
      node.parent.unitList.push(node);
    }
    if ((node.kind === 'REGENCY' || node.kind === 'CITY') && node.parent) node.parent.children.push(node);
  }
  for (const node of nodes.values()) {
    for (let ancestor = node.parent; ancestor; ancestor = ancestor.parent) node.ancestorIds.push(ancestor.id);
    if (node.kind === 'UNIT' && node.parent) {
      node.homeId = node.parent.id;
      node.homeKind = node.parent.kind;
    }
    // The hub's scopePath: the node, its home node and every ancestor, without repeats.
    node.pathLiteral = arrayLiteral([...new Set([node.id, node.homeId, ...node.ancestorIds])]);
  }
  return nodes;
}
