import { Writable } from 'node:stream';
import { GATEWAY_CREDENTIAL_HEADER } from '../src/auth';
import { createLogger } from '../src/logger';

describe('the logger', () => {
  const SECRETS = { authorization: 'Bearer eyJ.officer.token', cookie: 'session=citizen-session', credential: 'eyJ.gateway.credential' };

  function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger(stream);
    // Tests log nothing by default.
    logger.level = 'info';
    return { lines, logger };
  }

  it('never writes a credential header of a logged request, however the request is named', async () => {
    const { lines, logger } = capture();
    const headers = {
      'content-type': 'application/json',
      authorization: SECRETS.authorization,
      cookie: SECRETS.cookie,
      [GATEWAY_CREDENTIAL_HEADER]: SECRETS.credential,
    };
    logger.info({ req: { method: 'POST', url: '/graphql', headers } }, 'request');
    logger.warn({ request: { headers } }, 'subgraph request');
    logger.error({ headers }, 'headers');
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toHaveLength(3);
    for (const line of lines) {
      for (const secret of Object.values(SECRETS)) expect(line).not.toContain(secret);
      expect(line).toContain('application/json');
    }
    expect(JSON.parse(lines[0]).req.headers).toEqual({
      'content-type': 'application/json',
      authorization: '[Redacted]',
      cookie: '[Redacted]',
      [GATEWAY_CREDENTIAL_HEADER]: '[Redacted]',
    });
  });
});
