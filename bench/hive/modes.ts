/** The ways `--hive` runs Hive Gateway, shared by the runner (`./compare`) and Hive's process (`./serve`). */

export type HiveMode = 'default' | 'noDeduplication' | 'rustPlannerNoDeduplication';

export interface HiveModeOptions {
  mode: HiveMode;
  /** Hive's in-flight deduplication of identical subgraph requests (on as shipped). */
  deduplicate: boolean;
  /** Hive's Rust query planner and executor (`@graphql-hive/router-runtime`) instead of its JavaScript ones. */
  rustPlanner: boolean;
  description: string;
}

export const HIVE_MODES: HiveModeOptions[] = [
  { mode: 'default', deduplicate: true, rustPlanner: false, description: 'as shipped' },
  { mode: 'noDeduplication', deduplicate: false, rustPlanner: false, description: 'in-flight deduplication off' },
  { mode: 'rustPlannerNoDeduplication', deduplicate: false, rustPlanner: true, description: 'Rust query planner, in-flight deduplication off' },
];

/** The package that gives Hive Gateway the Rust query planner. */
export const ROUTER_RUNTIME = '@graphql-hive/router-runtime';

/**
 * A request with this header set to `expose` gets, from the Rust-planner mode, the query plan the
 * Rust planner made for it in `extensions.queryPlan`: the runner's proof that the mode runs that
 * planner (Hive's JavaScript planner makes no such plan).
 */
export const QUERY_PLAN_HEADER = 'x-lapor-bench-query-plan';
