import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase, type Orm } from '../src/db';
import { serializeError } from '../src/logger';
import { execute, sql } from '../src/sql';
import { createTestDatabases, type TestDatabases } from '../../test/support/databases';

let databases: TestDatabases;
let orm: Orm;
const seen: string[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  orm = await openDatabase({
    clientUrl: databases.urls.complaints,
    schema: 'prepared',
    entities: [],
    migrations: [],
    poolMax: databases.poolMax,
    onQuery: (text) => seen.push(text),
  });
  const connection = orm.em.getConnection();
  await connection.execute('create schema if not exists prepared');
  await connection.execute('create table prepared.report (id uuid primary key, kind text not null, at timestamptz not null, tracking text unique)');
});
afterAll(async () => {
  await orm?.close(true);
  await databases?.drop();
});

const em = () => orm.em.fork() as unknown as EntityManager;
const ids = ['0b0e6e36-4f5e-4c47-9a55-8a1d3f1f0001', '0b0e6e36-4f5e-4c47-9a55-8a1d3f1f0002', '0b0e6e36-4f5e-4c47-9a55-8a1d3f1f0003'];
const at = new Date('2026-12-03T01:02:03.004Z');

describe('execute', () => {
  beforeAll(async () => {
    for (const [index, id] of ids.entries()) {
      await execute(em(), sql`insert into prepared.report (id, kind, at, tracking) values (${id}, ${['jalan', 'air "bersih"', 'sekolah'][index]}, ${at}, ${`LPR-${index}`})`);
    }
  });

  describe.each([false, true])('keepPlan: %s', (keepPlan) => {
    it('binds a list as one array, whatever its length, its element type taken from the column', async () => {
      const kinds = (rows: { kind: string }[]) => rows.map((row) => row.kind).sort();
      const byIds = (list: string[]) => execute<{ kind: string }>(em(), sql`select kind from prepared.report where id = any(${list}) order by kind`, { keepPlan });
      expect(kinds(await byIds(ids.slice(0, 1)))).toEqual(['jalan']);
      expect(kinds(await byIds(ids))).toEqual(['air "bersih"', 'jalan', 'sekolah']);
      expect(await byIds([])).toEqual([]);
      const byKinds = await execute<{ id: string }>(em(), sql`select id from prepared.report where kind = any(${['air "bersih"', 'sekolah']}) order by id`, { keepPlan });
      expect(byKinds.map((row) => row.id)).toEqual(ids.slice(1));
    });

    it('binds a date as its instant', async () => {
      const [row] = await execute<{ at: Date; same: boolean }>(em(), sql`select at, at = ${at} as same from prepared.report where id = ${ids[0]}`, { keepPlan });
      expect(row.same).toBe(true);
      expect(new Date(row.at).toISOString()).toBe(at.toISOString());
    });

    it("raises the ORM's exception of the driver error's kind", async () => {
      const duplicate = execute(em(), sql`insert into prepared.report (id, kind, at, tracking) values (${'0b0e6e36-4f5e-4c47-9a55-8a1d3f1f0010'}, ${'jalan'}, ${at}, ${'LPR-0'})`, { keepPlan });
      await expect(duplicate).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    });
  });

  it('with keepPlan, prepares a statement once per connection under one name for all its values, and the ORM hook still sees each run', async () => {
    const kept = (id: string) => sql`select kind from prepared.report where id = ${id}`;
    const planned = (id: string) => sql`select at from prepared.report where id = ${id}`;
    seen.length = 0;
    const prepared = await orm.em.fork().transactional(async (transaction) => {
      const inTransaction = transaction as unknown as EntityManager;
      for (const id of ids) {
        expect(await execute(inTransaction, kept(id), { keepPlan: true })).toHaveLength(1);
        expect(await execute(inTransaction, planned(id))).toHaveLength(1);
      }
      return execute<{ statement: string }>(inTransaction, sql`select statement from pg_prepared_statements where statement like ${'%from prepared.report where id = $1'}`);
    });
    expect(prepared.map((row) => row.statement)).toEqual(['select kind from prepared.report where id = $1']);
    expect(seen.filter((text) => text === kept(ids[0]).text)).toHaveLength(3);
    expect(seen.filter((text) => text === planned(ids[0]).text)).toHaveLength(3);
  });

  it('fails with a logged error that names the SQLSTATE, never the values it was given', async () => {
    const citizen = 'Siti Aminah, Desa Sape';
    const failure = await execute(em(), sql`select ${citizen}::int as age`, { keepPlan: true }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).not.toBeNull();
    const logged = serializeError(failure);
    expect(JSON.stringify(logged)).not.toContain('Siti');
    expect(logged).toMatchObject({ message: 'database error 22P02', code: '22P02' });
  });

  it('runs in the transaction it is given: a rolled back write leaves nothing', async () => {
    const id = '0b0e6e36-4f5e-4c47-9a55-8a1d3f1f0009';
    await expect(
      orm.em.fork().transactional(async (transaction) => {
        await execute(transaction as unknown as EntityManager, sql`insert into prepared.report (id, kind, at) values (${id}, ${'jalan'}, ${at})`, { keepPlan: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await execute(em(), sql`select id from prepared.report where id = ${id}`)).toEqual([]);
  });
});
