import { z } from 'zod';
import { envBoolean, envInteger, parseEnv } from '@lapor-hub/lib';

describe('parseEnv', () => {
  const schema = z.object({ PORT: envInteger(4000), DEDUPLICATE: envBoolean(true), NAME: z.string().optional() });

  it('takes defaults for unset and empty variables', () => {
    expect(parseEnv(schema, { PORT: '', DEDUPLICATE: undefined })).toEqual({ PORT: 4000, DEDUPLICATE: true });
    expect(parseEnv(schema, { PORT: '5', DEDUPLICATE: 'false', NAME: 'x' })).toEqual({ PORT: 5, DEDUPLICATE: false, NAME: 'x' });
  });

  it('names every invalid variable in one error', () => {
    expect(() => parseEnv(schema, { PORT: 'x', DEDUPLICATE: 'maybe' })).toThrow(
      'Invalid configuration: PORT must be a whole number; DEDUPLICATE must be true or false',
    );
  });
});
