export interface SubgraphHealth {
  name: string;
  url: string;
  status: 'up' | 'down';
}

export interface HubHealth {
  status: 'ok' | 'degraded';
  subgraphs: SubgraphHealth[];
}

/** Asks each subgraph's `GET /health` (which also checks its database) in parallel. */
export async function checkSubgraphs(subgraphUrls: Record<string, string>, timeoutMs = 2000): Promise<HubHealth> {
  const subgraphs = await Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]): Promise<SubgraphHealth> => {
      try {
        const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
        return { name, url, status: response.ok ? 'up' : 'down' };
      } catch {
        return { name, url, status: 'down' };
      }
    }),
  );
  return { status: subgraphs.every((subgraph) => subgraph.status === 'up') ? 'ok' : 'degraded', subgraphs };
}
