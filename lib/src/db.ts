import { MikroORM, type EntitySchema, type Constructor, type MigrationObject } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager, type Seeder } from '@mikro-orm/seeder';

export type Orm = MikroORM<PostgreSqlDriver>;

export interface DatabaseOptions {
  /** PostgreSQL connection string; a real server or the embedded one. */
  clientUrl: string;
  /** The PostgreSQL schema this service owns; its tables and migration history live there. */
  schema: string;
  entities: EntitySchema<any, any>[];
  /** Committed migrations, in order; they run at every start and are idempotent by history. */
  migrations: MigrationObject[];
  /** Seeds reference data; it must be safe to run on every start. */
  seeder?: Constructor<Seeder>;
  /** Connection pool size; the embedded database takes exactly one connection. */
  poolMax?: number;
  /** Observes every SQL statement the ORM sends (tests count them to prove batching). */
  onQuery?: (sql: string) => void;
}

/**
 * Opens a service's database: connects, applies pending migrations under an advisory lock (so that
 * replicas starting together migrate once), then runs the seeder.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Orm> {
  const orm = await MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator, SeedManager],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // A request waits at most this long for a connection (knex's default is a minute): while the
    // database is down, callers hear SERVICE_UNAVAILABLE soon instead of hanging.
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 10_000 },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: false },
    onQuery: (sql) => {
      options.onQuery?.(sql);
      return sql;
    },
  });
  try {
    if ((options.poolMax ?? 10) > 1) {
      await orm.em.getConnection().transactional(async (transaction) => {
        await orm.em.getConnection().execute('select pg_advisory_xact_lock(hashtext(?))', [`lapor-migrate:${options.schema}`], 'get', transaction);
        await orm.getMigrator().up({ transaction });
      });
    } else {
      // A one-connection pool is the embedded database, which one process owns: no replicas race,
      // and the migrator's own bookkeeping needs the only connection.
      await orm.getMigrator().up();
    }
    if (options.seeder) await orm.getSeeder().seed(options.seeder);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}
