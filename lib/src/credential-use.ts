import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MemoryReplayGuard, type ReplayGuard } from '@lapor-hub/node-kit';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, ServiceUnavailableError } from './errors';
import { Rounds } from './rounds';
import { execute, sql } from './sql';

/** The statements of the replay guard name this table; `SqlCounter` (tests) leaves them out of a request's count. */
export const CREDENTIAL_USE_TABLE = 'credential_use';

/**
 * The table of the credentials' ids a subgraph has accepted, in the subgraph's own schema. UNLOGGED:
 * it holds nothing that outlives a minute, so it skips the write-ahead log (after a crash it comes
 * back empty, and a credential from before the crash has expired by the time the subgraph is up).
 */
export function credentialUseMigration(schema: string): MigrationObject {
  class Migration20261215000000CredentialUse extends Migration {
    override async up(): Promise<void> {
      this.addSql(`create unlogged table if not exists "${schema}"."${CREDENTIAL_USE_TABLE}" ("jti" text primary key, "expires_at" timestamptz not null);`);
      this.addSql(`create index if not exists "${CREDENTIAL_USE_TABLE}_expires_idx" on "${schema}"."${CREDENTIAL_USE_TABLE}" ("expires_at");`);
    }

    override async down(): Promise<void> {
      this.addSql(`drop table if exists "${schema}"."${CREDENTIAL_USE_TABLE}";`);
    }
  }
  return { name: 'Migration20261215000000CredentialUse', class: Migration20261215000000CredentialUse };
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

  /** Records `jti` in one statement; false when a replica (or this one) recorded it before. */
  async claim(jti: string, expiresAtSeconds: number): Promise<boolean> {
    const rows = await execute(
      this.em(),
      sql`insert into ${this.table} ("jti", "expires_at") values (${jti}, to_timestamp(${expiresAtSeconds})) on conflict do nothing returning "jti"`,
    );
    return rows.length === 1;
  }

  /** Forgets the ids whose credentials have expired: they can no longer be presented anyway. */
  async prune(): Promise<void> {
    await execute(this.em(), sql`delete from ${this.table} where "expires_at" < now()`);
  }
}

/** How often the expired ids are deleted. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The replay guard of a subgraph with replicas: this process's memory first (a replay to the same
 * process costs no statement), then the shared table, so a credential is used once across every
 * replica. Expired ids are pruned in the background.
 */
export class SharedReplayGuard implements ReplayGuard {
  private readonly local = new MemoryReplayGuard();
  private readonly pruning: Rounds;

  constructor(private readonly uses: CredentialUseRepository) {
    this.pruning = new Rounds('credential-use-prune', () => uses.prune(), PRUNE_EVERY_MS);
  }

  async claim(jti: string, expiresAtSeconds: number): Promise<boolean> {
    if (!this.local.claim(jti, expiresAtSeconds)) return false;
    try {
      return await this.uses.claim(jti, expiresAtSeconds);
    } catch (error) {
      // Before any resolver runs: say what a resolver would, that the database is away for now,
      // as a GraphQL answer (HTTP 200) so that the gateway passes the code on: a failed HTTP
      // status would reach the caller as a vaguer DOWNSTREAM_SERVICE_ERROR.
      if (isDatabaseUnavailable(error)) throw new ServiceUnavailableError(DATABASE_UNAVAILABLE_MESSAGE, { http: { status: 200 } });
      throw error;
    }
  }

  start(): void {
    this.pruning.start();
  }

  stop(): Promise<void> {
    return this.pruning.stop();
  }
}
