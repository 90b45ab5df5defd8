import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, keysetAfter, sql, type PageArgs } from '@lapor-hub/lib';
import { SubgraphSchema, type Subgraph, type SubgraphKind } from './entities/subgraph';
import { SubgraphVersionSchema, type SubgraphVersion } from './entities/subgraph-version';
import { SupergraphVersionSchema, type SupergraphVersion } from './entities/supergraph-version';

/** Who made a change in the registry: an officer, or the hub itself at start. */
export interface Publisher {
  sub: string;
  role: string;
  agencyId: string;
}

export const HUB_PUBLISHER: Publisher = { sub: 'hub', role: 'HUB', agencyId: 'hub' };

/** Node subgraph listings run by namespace; the cursor is the namespace. */
const SORT_KEY = [{ column: 's.name', type: 'text' }] as const;

export function subgraphSortKey(subgraph: Subgraph): unknown[] {
  return [subgraph.name];
}

/** The registry's statements; each method is one SQL statement. */
export class RegistryRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Serializes every change of the supergraph across replicas, until the transaction ends: each
   * composition is made from the state the previous one left.
   */
  async lockSupergraph(): Promise<void> {
    await execute(this.em, sql`select pg_advisory_xact_lock(hashtext('lapor-registry-supergraph'))`);
  }

  /** Every subgraph the registry knows, removed ones included. */
  async subgraphs(): Promise<Subgraph[]> {
    const rows = await execute(this.em, sql`select s.* from registry.subgraph s order by s.name`);
    return rows.map((row) => this.em.map(SubgraphSchema, row));
  }

  async findSubgraph(name: string): Promise<Subgraph | null> {
    const [row] = await execute(this.em, sql`select s.* from registry.subgraph s where s.name = ${name}`);
    return row ? this.em.map(SubgraphSchema, row) : null;
  }

  /** The node subgraphs in the supergraph now, of these nodes. */
  async activeByAgencyIds(agencyIds: readonly string[]): Promise<Subgraph[]> {
    const rows = await execute(
      this.em,
      sql`select s.* from registry.subgraph s where s.agency_id = any(${[...agencyIds]}) and s.removed_at is null`,
    );
    return rows.map((row) => this.em.map(SubgraphSchema, row));
  }

  /** One page (`first + 1` rows) of the node subgraphs in the supergraph now, by namespace. */
  async nodePage(page: PageArgs): Promise<Subgraph[]> {
    const rows = await execute(
      this.em,
      sql`select s.* from registry.subgraph s where s.kind = 'NODE' and s.removed_at is null${keysetAfter(page.after, SORT_KEY, '>')}
          order by s.name limit ${page.first + 1}`,
    );
    return rows.map((row) => this.em.map(SubgraphSchema, row));
  }

  async nodeCount(): Promise<number> {
    const [row] = await execute<{ count: number }>(
      this.em,
      sql`select count(*)::int as count from registry.subgraph s where s.kind = 'NODE' and s.removed_at is null`,
    );
    return row.count;
  }

  /** Every version of each subgraph, newest first. */
  async versions(names: readonly string[]): Promise<Map<string, SubgraphVersion[]>> {
    const rows = await execute(
      this.em,
      sql`select v.* from registry.subgraph_version v where v.subgraph_name = any(${[...names]}) order by v.subgraph_name, v.version desc`,
    );
    const versions = new Map<string, SubgraphVersion[]>();
    for (const row of rows) {
      const version = this.em.map(SubgraphVersionSchema, row);
      versions.set(version.subgraphName, [...(versions.get(version.subgraphName) ?? []), version]);
    }
    return versions;
  }

  /** Records a new version of a subgraph (the next number) and makes it the current one, back in the supergraph. */
  async saveVersion(subgraph: { name: string; kind: SubgraphKind; agencyId: string | null; url: string; sdl: string }, by: Publisher): Promise<Subgraph> {
    const [row] = await execute(
      this.em,
      sql`insert into registry.subgraph (name, kind, agency_id, url, sdl, version, published_at, removed_at)
          values (${subgraph.name}, ${subgraph.kind}, ${subgraph.agencyId}, ${subgraph.url}, ${subgraph.sdl}, 1, now(), null)
          on conflict (name) do update set url = excluded.url, sdl = excluded.sdl, version = registry.subgraph.version + 1,
            published_at = excluded.published_at, removed_at = null
          returning *`,
    );
    const saved = this.em.map(SubgraphSchema, row);
    await execute(
      this.em,
      sql`insert into registry.subgraph_version (id, subgraph_name, version, url, sdl, published_by, published_by_role, published_by_agency_id)
          values (gen_random_uuid(), ${saved.name}, ${saved.version}, ${saved.url}, ${saved.sdl}, ${by.sub}, ${by.role}, ${by.agencyId})`,
    );
    return saved;
  }

  /** Takes a node subgraph out of the supergraph; its row and versions stay. */
  async markRemoved(name: string): Promise<void> {
    await execute(this.em, sql`update registry.subgraph set removed_at = now() where name = ${name}`);
  }

  async latestSupergraph(): Promise<SupergraphVersion | null> {
    const [row] = await execute(this.em, sql`select g.* from registry.supergraph_version g order by g.version desc limit 1`);
    return row ? this.em.map(SupergraphVersionSchema, row) : null;
  }

  /** Records the next supergraph version; call under `lockSupergraph`. */
  async addSupergraph(sdl: string, subgraphs: { name: string; url: string }[], cause: string, by: Publisher): Promise<SupergraphVersion> {
    const [row] = await execute(
      this.em,
      sql`insert into registry.supergraph_version (version, sdl, subgraphs, cause, composed_by)
          select coalesce(max(version), 0) + 1, ${sdl}, ${JSON.stringify(subgraphs)}::jsonb, ${cause}, ${by.sub} from registry.supergraph_version
          returning *`,
    );
    return this.em.map(SupergraphVersionSchema, row);
  }

  async addRejection(version: number, gateway: string, reason: string): Promise<void> {
    await execute(
      this.em,
      sql`insert into registry.supergraph_rejection (id, version, gateway, reason) values (gen_random_uuid(), ${version}, ${gateway}, ${reason})`,
    );
  }
}
