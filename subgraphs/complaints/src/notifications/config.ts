import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, parseEnv, secretsFromEnv } from '@lapor-hub/lib';
import type { JobSchedule } from '@lapor-hub/lib/database';
import type { ReporterNotificationsOptions } from '../services/notify-reporters';

const schema = z
  .object({
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().trim().max(200).optional(),
    SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('http://localhost:4000'),
    DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  })
  .refine((env) => !env.SMTP_URL || env.MAIL_FROM, { path: ['MAIL_FROM'], message: 'must be set when SMTP_URL is' });

/**
 * How reporters' messages are sent: `SMTP_URL` (with `MAIL_FROM`, the sender) for e-mail,
 * `SMS_GATEWAY_URL` for SMS; with neither, as files under `DATA_DIR/outbox/`. `PUBLIC_URL` is the
 * gateway as reporters reach it (the messages' links); `REPORTER_LINK_SECRET` signs the stop links
 * (see `secretsFromEnv`). The outbox is swept on `schedule`.
 */
export function reporterNotificationsFromEnv(env: NodeJS.ProcessEnv, schedule: JobSchedule): ReporterNotificationsOptions {
  const config = parseEnv(schema, env);
  return {
    transports: {
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM ?? 'LAPOR! <no-reply@lapor.localhost>',
      smsGatewayUrl: config.SMS_GATEWAY_URL,
      outboxDir: path.resolve(config.DATA_DIR, 'outbox'),
    },
    publicUrl: config.PUBLIC_URL,
    linkSecret: secretsFromEnv(['REPORTER_LINK_SECRET'], env).REPORTER_LINK_SECRET,
    schedule,
  };
}
