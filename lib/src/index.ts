// `@lapor-hub/lib`: what every process of the hub may use, the gateway included. Nothing here loads
// a database driver, the ORM, pg-boss, PGlite, composition or the holiday tables: those are the
// entry points `@lapor-hub/lib/database`, `/embedded`, `/composition` and `/working-calendar`,
// loaded only by the processes that use them.
export * from './attachment-links';
export * from './auth';
export * from './config';
export * from './directory';
export * from './errors';
export * from './expiring-cache';
export * from './ids';
export * from './keys';
export * from './input';
export * from './keyset';
export * from './logger';
export * from './pagination';
export * from './rounds';
export * from './scalars';
export * from './schema';
export * from './sealing';
export * from './secrets';
export * from './service-client';
export * from './service-main';
export * from './sql';
export * from './text';
export * from './time-zones';
export * from './url-policy';
export * from './per-owner';
