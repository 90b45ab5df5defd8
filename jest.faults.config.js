// @ts-check
const base = require('./jest.config');

/**
 * `npm run test:faults`: the hub as separate processes under load while processes are killed and
 * the database restarts. They need a PostgreSQL server (not the embedded fallback) and run one
 * file at a time, each loading both cores.
 * @returns {Promise<import('jest').Config>}
 */
module.exports = async () => {
  const config = await base();
  if (!process.env.LAPOR_TEST_SERVER_URL) throw new Error('the fault tests need a PostgreSQL server: set DATABASE_URL or run one on 127.0.0.1:5432');
  return { ...config, roots: ['<rootDir>/test/faults'], testPathIgnorePatterns: ['/node_modules/'], maxWorkers: 1, testTimeout: 1_800_000 };
};
