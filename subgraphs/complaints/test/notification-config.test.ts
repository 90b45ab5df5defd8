import path from 'node:path';
import { reporterNotificationsFromEnv } from '../src/notifications/config';

const base = { REPORTER_LINK_SECRET: 'test-link-secret', DATA_DIR: '/srv/lapor' };
const schedule = { mode: 'off' } as const;

describe('reporter notifications configuration', () => {
  it('writes files under DATA_DIR/outbox when neither SMTP nor an SMS gateway is set', () => {
    const options = reporterNotificationsFromEnv(base, schedule);
    expect(options.transports).toMatchObject({ smtpUrl: undefined, smsGatewayUrl: undefined, outboxDir: path.resolve('/srv/lapor/outbox') });
    expect(options.publicUrl).toBe('http://localhost:4000');
    expect(new TextDecoder().decode(options.linkSecret)).toBe('test-link-secret');
  });

  it('sends over SMTP from MAIL_FROM and to the SMS gateway when set', () => {
    const options = reporterNotificationsFromEnv(
      { ...base, SMTP_URL: 'smtps://hub:rahasia@mail.lapor.go.id:465', MAIL_FROM: 'LAPOR! <no-reply@lapor.go.id>', SMS_GATEWAY_URL: 'https://sms.example.id/send', PUBLIC_URL: 'https://lapor.go.id' },
      schedule,
    );
    expect(options.transports).toMatchObject({ smtpUrl: 'smtps://hub:rahasia@mail.lapor.go.id:465', mailFrom: 'LAPOR! <no-reply@lapor.go.id>', smsGatewayUrl: 'https://sms.example.id/send' });
    expect(options.publicUrl).toBe('https://lapor.go.id');
  });

  it('refuses SMTP_URL without MAIL_FROM, and URLs of the wrong kind, naming each', () => {
    expect(() => reporterNotificationsFromEnv({ ...base, SMTP_URL: 'smtp://mail:25' }, schedule)).toThrow(/MAIL_FROM must be set when SMTP_URL is/);
    expect(() => reporterNotificationsFromEnv({ ...base, SMTP_URL: 'http://mail', MAIL_FROM: 'a@b.id', SMS_GATEWAY_URL: 'ftp://sms' }, schedule)).toThrow(
      /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL; SMS_GATEWAY_URL must be an http:\/\/ or https:\/\/ URL/,
    );
  });

  it('needs REPORTER_LINK_SECRET in production', () => {
    expect(() => reporterNotificationsFromEnv({ NODE_ENV: 'production' }, schedule)).toThrow(/REPORTER_LINK_SECRET/);
  });
});
