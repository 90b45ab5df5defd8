import type { AuthSecrets } from '@lapor-hub/lib';
import type { Facts } from '../dataset';
import type { LoadRuns } from '../load';
import type { HubProcesses } from '../processes';

/** The command line of `npm run bench` (see bench/README.md). */
export interface RunOptions {
  complaints: number;
  duration: number;
  connections: number;
  dashboardConnections: number;
  /** Clients of the attachment-upload run. */
  uploadConnections: number;
  hive: boolean;
  /** Every child process writes a CPU profile (`node --cpu-prof`), summed up in the report. */
  profile: boolean;
  databaseUrl: string;
  seed: number;
}

/** What every scenario on the running hub gets. */
export interface ScenarioContext {
  options: RunOptions;
  secrets: AuthSecrets;
  facts: Facts;
  hub: HubProcesses;
  runs: LoadRuns;
  /** The inbox request of the busiest regency's admin, through a gateway (ours or Hive). */
  inbox: { body: string; headers: Record<string, string> };
}
