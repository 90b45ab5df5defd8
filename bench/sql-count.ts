import pg from 'pg';
import { signUserToken, type AuthSecrets, type SubgraphName } from '@lapor-hub/lib';
import { assertNoErrors, postJson } from './load';
import { pagedInboxQuery } from './queries';

/**
 * The SQL statements one inbox request costs: the hub started in this process with a statement
 * counter on each subgraph (as `test/support/hub.ts` does), one warm request, then one counted
 * request at page sizes 10, 50 and 100.
 */

export interface SqlCountFigures {
  pageSize: number;
  edges: number;
  statements: Record<SubgraphName, number>;
  total: number;
}

export interface SqlCount {
  pages: SqlCountFigures[];
  /** The statements of the page of 50, with placeholders, per subgraph. */
  page50Statements: Record<SubgraphName, string[]>;
  /** The same statements in the order they were sent, their values written in (for pgbench). */
  page50Bound: string[];
  /** Those of the complaints subgraph alone (its own share, for pgbench). */
  page50BoundComplaints: string[];
}

/**
 * The subgraph that sent a statement, by the schema it names: each service reads and writes only
 * its own schema (the driver sees no other trace of which pool a statement came from).
 */
export function subgraphOfStatement(sql: string): SubgraphName | null {
  return (/\b"?(agencies|complaints|escalation|webhooks|registry)"?\./.exec(sql)?.[1] as SubgraphName | undefined) ?? null;
}

// The background work of the outbox relays and the webhook worker: no request's cost.
const BACKGROUND = /outbox_event|hub-event-relay|webhook-worker/;

export async function countStatements(url: string, secrets: AuthSecrets, agencyId: string): Promise<SqlCount> {
  // Loaded here, not at the top: the runner's other parts need none of the services in memory.
  const { startInProcessHub } = await import('./serve');
  const statements: Record<SubgraphName, string[]> = { agencies: [], complaints: [], escalation: [], webhooks: [], registry: [] };
  let counting = false;
  const hook = (name: SubgraphName) => (sql: string) => {
    // The outbox relays and the webhook worker poll in the background, and the gateway the registry;
    // none is the request's cost.
    if (counting && name !== 'registry' && !BACKGROUND.test(sql)) statements[name].push(sql);
  };
  // The same statements with their values, as the driver sends them, for the pgbench script (the
  // services' onQuery hook sees the SQL with placeholders only).
  const bound: { text: string; values: unknown[] }[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const originalQuery = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown];
    const text = typeof config === 'string' ? config : config?.text;
    // Transaction control is left out too: the outbox relay claims its events in a transaction.
    if (counting && typeof text === 'string' && !BACKGROUND.test(text) && !/^\s*(begin|commit|rollback)\b/i.test(text)) {
      bound.push({ text, values: (typeof config === 'object' && config?.values) || (Array.isArray(values) ? values : []) });
    }
    return originalQuery.apply(this, args);
  };
  let hub: Awaited<ReturnType<typeof startInProcessHub>> | null = null;
  try {
    hub = await startInProcessHub({ databaseUrl: url, onQuery: hook });
    const gatewayUrl = hub.gatewayUrl;
    const token = await signUserToken({ sub: 'bench-admin', role: 'AGENCY_ADMIN', agencyId }, secrets.jwtSecret);
    const pages: SqlCountFigures[] = [];
    let page50Statements = statements;
    let page50Bound: string[] = [];
    let page50BoundComplaints: string[] = [];
    for (const first of [10, 50, 100]) {
      const request = () => postJson(gatewayUrl, { query: pagedInboxQuery(first), variables: { id: agencyId } }, { authorization: `Bearer ${token}` });
      // Warm: the subgraphs' caches of the node tree (a minute) are filled as in steady state.
      assertNoErrors(`inbox page of ${first}`, await request());
      for (const name of Object.keys(statements) as SubgraphName[]) statements[name] = [];
      bound.length = 0;
      counting = true;
      const response = await request();
      counting = false;
      assertNoErrors(`inbox page of ${first}`, response);
      const counts = {
        agencies: statements.agencies.length,
        complaints: statements.complaints.length,
        escalation: statements.escalation.length,
        webhooks: statements.webhooks.length,
        registry: statements.registry.length,
      };
      pages.push({ pageSize: first, edges: response.data.agency.assignedComplaints.edges.length, statements: counts, total: counts.agencies + counts.complaints + counts.escalation + counts.webhooks });
      if (first === 50) {
        page50Statements = { agencies: [...statements.agencies], complaints: [...statements.complaints], escalation: [...statements.escalation], webhooks: [...statements.webhooks], registry: [...statements.registry] };
        page50Bound = bound.map((statement) => inlineValues(statement.text, statement.values));
        page50BoundComplaints = page50Bound.filter((sql) => subgraphOfStatement(sql) === 'complaints');
      }
    }
    return { pages, page50Statements, page50Bound, page50BoundComplaints };
  } finally {
    prototype.query = originalQuery;
    await hub?.stop();
  }
}

/** A statement with its `$n` parameters written in as SQL literals (for pgbench, which takes plain SQL). */
function inlineValues(text: string, values: unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
    if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
    return pg.escapeLiteral(String(value));
  };
  return text.replace(/\$(\d+)/g, (_whole, index: string) => literal(values[Number(index) - 1]));
}
