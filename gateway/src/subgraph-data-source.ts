import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';
import { HubError, logger, type Viewer } from '@lapor-hub/lib';
import { collapseRepresentations, expandEntities } from './entity-representations';
import { SHAREABLE_HANDOFF_HEADER, SUBGRAPH_HANDOFF_HEADER, VIEWER_HANDOFF_HEADER } from './subgraph-fetcher';

export interface GatewayContext {
  viewer: Viewer;
  /** Who is calling, for per-client limits: `sub:<token subject>` or `ip:<address>`; unset for the gateway's own operations. */
  clientId?: string;
}

/**
 * Forwards the caller's verified identity to a subgraph; the fetcher signs it into a credential for
 * each fetch. Requests without a caller (the gateway's own operations) go as the gateway.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  /**
   * A subgraph that refused a request as a whole (HTTP 4xx, e.g. a variable its scalar rejects)
   * answers with coded GraphQL errors: pass the first one on as it is, without the raw response
   * that the default error carries.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as { errors?: { message: string; extensions?: { code?: string; field?: string } }[] } | null;
    const first = body?.errors?.[0];
    if (response.status >= 400 && response.status < 500 && first?.extensions?.code && first.extensions.code !== 'INTERNAL_SERVER_ERROR') {
      const { code, field } = first.extensions;
      return new GraphQLError(first.message, { extensions: { code, ...(field ? { field } : {}), serviceName: this.serviceName } });
    }
    return super.errorFromResponse(response);
  }

  /**
   * Sends each distinct entity representation once. A subgraph that cannot be reached is a coded
   * error on its part of the answer, not an internal one.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const variables = options.request.variables;
    const collapsed = collapseRepresentations(variables?.representations);
    try {
      if (!collapsed) return await this.send(options, variables);
      return expandEntities(await this.send(options, { ...variables, representations: collapsed.unique }), collapsed.positions);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      logger.warn({ err: error, serviceName: this.serviceName }, 'subgraph unreachable');
      throw new HubError(`The ${this.serviceName} service is unavailable`, 'DOWNSTREAM_SERVICE_ERROR', { serviceName: this.serviceName });
    }
  }

  /**
   * One fetch, as `RemoteGraphQLDataSource.process` sends it (the same body, the same errors) but
   * with the headers as a plain object: its node-fetch `Headers` and the node-fetch `Request` it
   * builds for every fetch only for its error hooks cost the gateway more CPU per fetch than
   * parsing the answer. No cache hint is read from the answer: the hub's answers are `no-store`,
   * and the supergraph carries no cache-control hint that one could restrict.
   */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>, variables: Record<string, unknown> | undefined): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    for (const [name, value] of request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    headers[SUBGRAPH_HANDOFF_HEADER] = this.serviceName;
    if (context && 'viewer' in context && context.viewer) headers[VIEWER_HANDOFF_HEADER] = JSON.stringify(context.viewer);
    // The query planner writes each subgraph operation with its keyword first.
    if (!request.query.trimStart().startsWith('mutation')) headers[SHAREABLE_HANDOFF_HEADER] = '1';
    const body = JSON.stringify({ query: request.query, variables, operationName: request.operationName, extensions: request.extensions });
    const response = await this.fetcher(this.url, { method: 'POST', headers, body });
    if (!response.ok) throw await this.errorFromResponse(response);
    const parsed = await this.parseBody(response);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    return { ...parsed, http: response } as GatewayGraphQLResponse;
  }
}
