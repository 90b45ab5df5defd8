import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, sql } from './sql';

/** The statements of the replay guard name this table; `SqlCounter` (tests) leaves them out of a request's count. */
export const CREDENTIAL_USE_TABLE = 'credential_use';

/**
 * The table of the credentials' ids a subgraph has accepted, in the subgraph's own schema. UNLOGGED:
 * it holds nothing that outlives a minute, so it skips the write-ahead log (after a crash it comes
 * back empty, and a credential from before the crash has expired by the time the subgraph is up).
 */
export function credentialUseMigration(schema: string): MigrationObject {
  class Migration20261202000000CredentialUse extends Migration {
    override async up(): Promise<void> {
      this.addSql(`create unlogged table if not exists "${schema}"."${CREDENTIAL_USE_TABLE}" ("jti" text primary key, "expires_at" timestamptz not null);`);
      this.addSql(`create index if not exists "${CREDENTIAL_USE_TABLE}_expires_idx" on "${schema}"."${CREDENTIAL_USE_TABLE}" ("expires_at");`);
    }

    override async down(): Promise<void> {
      this.addSql(`drop table if exists "${schema}"."${CREDENTIAL_USE_TABLE}";`);
    }
  }
  return { name: 'Migration20261202000000CredentialUse', class: Migration20261202000000CredentialUse };
}

/** The accepted ids in a subgraph's database, shared by all its replicas. */
export class CredentialUseRepository {
  private readonly table: ReturnType<typeof sql.raw>;

  constructor(
    private readonly em: () => EntityManager,
    schema: string,
  ) {
    this.table = sql.raw(`"${schema}"."${CREDENTIAL_USE_TABLE}"`);
  }

  /**
   * Records many ids in one statement; resolves to those recorded now, without the ones a replica
   * (or this one) recorded before.
   */
  async claim(claims: readonly { jti: string; expiresAtSeconds: number }[]): Promise<Set<string>> {
    const rows = await execute<{ jti: string }>(
      this.em(),
      sql`insert into ${this.table} ("jti", "expires_at")
          select jti, to_timestamp(expires_at)
          from unnest(${sql.textArray(claims.map((claim) => claim.jti))}, ${sql.textArray(claims.map((claim) => String(claim.expiresAtSeconds)))}::float8[]) as claimed (jti, expires_at)
          on conflict do nothing returning "jti"`,
      // Sent with every fetch a subgraph serves; an insert's plan depends on no value.
      { keepPlan: true },
    );
    return new Set(rows.map((row) => row.jti));
  }

  /** Forgets the ids whose credentials have expired: they can no longer be presented anyway. */
  async prune(): Promise<void> {
    await execute(this.em(), sql`delete from ${this.table} where "expires_at" < now()`);
  }
}
