// Imported first by every bench entry point: the hub's pino logger reads LOG_LEVEL when it is
// loaded, and the services' start-up lines would otherwise interleave with the progress output.
process.env.LOG_LEVEL ??= 'warn';

export {};
