import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type AuthSecrets, type Viewer } from '@lapor-hub/lib';

export interface GatewayContext {
  viewer: Viewer;
  /** The viewer signed once for this request, reused for every subgraph fetch of its plan. */
  credential?: Promise<string>;
}

/**
 * Forwards the caller's verified identity to a subgraph as a short-lived credential signed with the
 * gateway secret. Requests without a caller (the gateway's own health checks) go as the gateway.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: { url: string },
    private readonly secrets: AuthSecrets,
  ) {
    super(config);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    let credential: Promise<string>;
    if (context && 'viewer' in context && context.viewer) {
      context.credential ??= signGatewayCredential(context.viewer, this.secrets.gatewaySecret);
      credential = context.credential;
    } else {
      credential = signGatewayCredential({ kind: 'service', name: 'gateway' }, this.secrets.gatewaySecret);
    }
    request.http?.headers.set(GATEWAY_CREDENTIAL_HEADER, await credential);
  }
}
