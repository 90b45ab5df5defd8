import { signUserToken } from '@lapor-hub/lib';
import { log, NATIONAL_ID } from '../common';
import { assertNoErrors, checkData, postJson, type LoadFigures, type LoadSpec } from '../load';
import { DASHBOARD_QUERY } from '../queries';
import type { ScenarioContext } from './context';

/** The national dashboard for the last 365 days, as the DASHBOARD role sees it: one at a time, then under load. */
export async function nationalDashboard({ options, secrets, hub, runs }: ScenarioContext): Promise<{ single: LoadFigures; loaded: LoadFigures }> {
  const token = await signUserToken({ sub: 'bench-dashboard', role: 'DASHBOARD', agencyId: NATIONAL_ID }, secrets.jwtSecret);
  const to = new Date();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const body = JSON.stringify({ query: DASHBOARD_QUERY, variables: { from: from.toISOString(), to: to.toISOString() } });
  const headers = { authorization: `Bearer ${token}` };
  assertNoErrors('national dashboard', await postJson(hub.gateway.url, JSON.parse(body), headers));
  const spec: LoadSpec = { url: hub.gateway.url, connections: options.dashboardConnections, seconds: options.duration, body, headers, check: checkData };
  log(`national dashboard: ${options.dashboardConnections} connections, ${options.duration} s`);
  await runs.warm('dashboard', spec);
  const single = await runs.single('dashboard, 1 connection', spec);
  const loaded = await runs.measure('dashboard', spec);
  return { single, loaded };
}
