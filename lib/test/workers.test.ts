import { z } from 'zod';
import { parseEnv } from '../src/config';
import { envWorkers } from '../src/service-main';

describe('WORKERS', () => {
  const workersFromEnv = (env: NodeJS.ProcessEnv, cores: number) => parseEnv(z.object({ WORKERS: envWorkers(cores) }), env).WORKERS;

  it('defaults to one process and takes a count or "auto" (one per core)', () => {
    expect(workersFromEnv({}, 2)).toBe(1);
    expect(workersFromEnv({ WORKERS: '3' }, 2)).toBe(3);
    expect(workersFromEnv({ WORKERS: 'auto' }, 8)).toBe(8);
  });

  it.each(['0', '-1', '1.5', 'many'])('refuses %s', (raw) => {
    expect(() => workersFromEnv({ WORKERS: raw }, 2)).toThrow(/WORKERS must be/);
  });
});
