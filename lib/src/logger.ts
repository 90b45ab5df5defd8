import pino from 'pino';

/** One structured logger for every service; `LOG_LEVEL` sets the level (tests default to silent). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'lapor-hub' },
  redact: ['req.headers.authorization', 'req.headers["x-lapor-identity"]'],
});
