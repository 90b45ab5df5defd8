import { signUserToken } from '@lapor-hub/lib';
import { log, NATIONAL_ID } from '../common';
import { assertNoErrors, checkData, postJson, type LoadFigures, type LoadSpec } from '../load';
import { SEARCH_QUERY, SEARCH_TERMS } from '../queries';
import type { ScenarioContext } from './context';

/**
 * `searchComplaints` as the national admin (the widest scope: every complaint), each request one
 * of `SEARCH_TERMS` in turn: one at a time, then at the dashboard's number of clients.
 */
export async function search({ options, secrets, hub, runs }: ScenarioContext): Promise<{ single: LoadFigures; loaded: LoadFigures }> {
  const token = await signUserToken({ sub: 'bench-search', role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID }, secrets.jwtSecret);
  const headers = { authorization: `Bearer ${token}` };
  const bodyOf = (term: string) => JSON.stringify({ query: SEARCH_QUERY, variables: { query: term } });
  for (const term of SEARCH_TERMS) assertNoErrors(`search "${term}"`, await postJson(hub.gateway.url, JSON.parse(bodyOf(term)), headers));
  let next = 0;
  const spec: LoadSpec = {
    url: hub.gateway.url,
    connections: options.dashboardConnections,
    seconds: options.duration,
    headers,
    setupBody: () => bodyOf(SEARCH_TERMS[next++ % SEARCH_TERMS.length]),
    check: checkData,
  };
  log(`search: ${options.dashboardConnections} connections, ${options.duration} s, ${SEARCH_TERMS.length} queries in turn`);
  await runs.warm('search', spec);
  const single = await runs.single('search, 1 connection', spec);
  const loaded = await runs.measure('search', spec);
  return { single, loaded };
}
