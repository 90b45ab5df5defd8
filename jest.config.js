// @ts-check
const net = require('node:net');

/** Whether a PostgreSQL server answers on the local port (the machines' usual server). */
function localServerAnswers() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 5432, timeout: 1000 });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => socket.destroy() && resolve(false));
  });
}

/**
 * Tests use the PostgreSQL server named by DATABASE_URL, else the local server on 127.0.0.1:5432,
 * else embedded PostgreSQL (PGlite) started by the global setup. Each test file gets its own
 * database on a server; on the embedded one, files run one at a time on fresh schemas.
 * @returns {Promise<import('jest').Config>}
 */
module.exports = async () => {
  const serverUrl =
    process.env.DATABASE_URL || ((await localServerAnswers()) ? 'postgresql://postgres@127.0.0.1:5432/postgres' : '');
  process.env.LAPOR_TEST_SERVER_URL = serverUrl;
  return {
    testEnvironment: 'node',
    roots: ['<rootDir>/test', '<rootDir>/kit', '<rootDir>/lib', '<rootDir>/gateway', '<rootDir>/subgraphs'],
    testMatch: ['**/*.test.ts'],
    // The long runs with killed processes and a restarted database: `npm run test:faults`.
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
    transform: { '^.+\\.ts$': 'ts-jest' },
    globalSetup: '<rootDir>/test/support/global-setup.ts',
    globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    testTimeout: 60_000,
    maxWorkers: serverUrl ? '50%' : 1,
  };
};
