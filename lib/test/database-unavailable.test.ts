import { GraphQLError } from 'graphql';
import { DATABASE_UNAVAILABLE_MESSAGE, formatError, isDatabaseUnavailable } from '../src/errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('telling an unreachable database from a fault', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection failure', withCode('could not connect', '08006')],
    ['a connection cut mid-statement', new Error('insert into "complaints"."complaint" … - Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['a transaction whose connection died', new Error('Transaction query already complete, run with DEBUG=knex:tx for more info')],
    ['a wrapped cause', new Error('while loading', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
  ])('%s is "unavailable"', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('answers SERVICE_UNAVAILABLE without the statement, and other faults as a bare internal error', () => {
    const cut = new GraphQLError('insert into "complaints"."complaint" (…) values (\'Budi\') - Connection terminated unexpectedly', {
      path: ['submitComplaint'],
      originalError: new Error('insert into "complaints"."complaint" (…) values (\'Budi\') - Connection terminated unexpectedly'),
    });
    expect(formatError(cut.toJSON(), cut)).toEqual({
      message: DATABASE_UNAVAILABLE_MESSAGE,
      path: ['submitComplaint'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    const bug = new GraphQLError('boom', { originalError: new TypeError('boom') });
    expect(formatError(bug.toJSON(), bug).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
