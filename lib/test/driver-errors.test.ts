import { DriverException } from '@mikro-orm/core';
import { openDatabase, type Orm } from '../src/db';
import { serializeError } from '../src/logger';
import { createTestDatabases, type TestDatabases } from '../../test/support/databases';

let databases: TestDatabases;
let orm: Orm;

beforeAll(async () => {
  databases = await createTestDatabases();
  orm = await openDatabase({ clientUrl: databases.urls.complaints, schema: 'driver_errors', entities: [], migrations: [], poolMax: databases.poolMax });
});
afterAll(async () => {
  await orm?.close(true);
  await databases?.drop();
});

const CITIZEN = 'Siti Aminah, Desa Sape';

async function failureOf(statement: Promise<unknown>): Promise<unknown> {
  try {
    await statement;
  } catch (error) {
    return error;
  }
  throw new Error('the statement did not fail');
}

describe('logged database errors', () => {
  it('keep the SQLSTATE and what the error concerns, never the values the statement or PostgreSQL quoted', async () => {
    const error = await failureOf(orm.em.getConnection().execute('select ?::int as age', [CITIZEN]));
    // The driver's own message does carry the value: this is what the serializer is for.
    expect((error as Error).message).toContain(CITIZEN);
    const logged = serializeError(error);
    expect(JSON.stringify(logged)).not.toContain('Siti');
    expect(logged).toMatchObject({ type: 'DatabaseError', message: 'database error 22P02', code: '22P02' });
  });

  it('name the violated constraint without the duplicate value', async () => {
    const connection = orm.em.getConnection();
    await connection.execute('create table driver_errors.reporter (name text unique)');
    await connection.execute('insert into driver_errors.reporter values (?)', [CITIZEN]);
    const logged = serializeError(await failureOf(connection.execute('insert into driver_errors.reporter values (?)', [CITIZEN])));
    expect(JSON.stringify(logged)).not.toContain('Siti');
    expect(logged).toMatchObject({ message: 'database error 23505', table: 'reporter', constraint: 'reporter_name_key' });
  });

  it('keep the driver words of a connection failure, without the statement before them', () => {
    const cut = new Error(`insert into "complaints"."complaint" ("title") values ('${CITIZEN}') - Connection terminated unexpectedly`);
    const logged = serializeError(new DriverException(cut)) as { message: string; stack: string };
    expect(logged.message).toBe('Connection terminated unexpectedly');
    expect(logged.stack).not.toContain('Siti');
  });

  it('leave other errors as pino logs them', () => {
    expect(serializeError(new TypeError('boom'))).toMatchObject({ type: 'TypeError', message: 'boom' });
  });
});
