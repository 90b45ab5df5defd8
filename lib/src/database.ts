// `@lapor-hub/lib/database`: what a subgraph service adds to the core: its database (MikroORM on
// PostgreSQL), scheduled jobs (pg-boss), its GraphQL server and per-request loaders.
export * from './db';
export * from './jobs';
export * from './loaders';
export * from './subgraph';
export * from './hub-events';
