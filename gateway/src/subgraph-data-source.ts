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
      if (!collapsed) return await super.process(options);
      const request = { ...options.request, variables: { ...variables, representations: collapsed.unique } };
      return expandEntities(await super.process({ ...options, request }), collapsed.positions);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      logger.warn({ err: error, serviceName: this.serviceName }, 'subgraph unreachable');
      throw new HubError(`The ${this.serviceName} service is unavailable`, 'DOWNSTREAM_SERVICE_ERROR', { serviceName: this.serviceName });
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    request.http?.headers.set(SUBGRAPH_HANDOFF_HEADER, this.serviceName);
    if (context && 'viewer' in context && context.viewer) {
      request.http?.headers.set(VIEWER_HANDOFF_HEADER, JSON.stringify(context.viewer));
    }
    // The query planner writes each subgraph operation with its keyword first.
    if (request.query && !request.query.trimStart().startsWith('mutation')) {
      request.http?.headers.set(SHAREABLE_HANDOFF_HEADER, '1');
    }
  }
}
