import { startGateway, type GatewayOptions } from '@lapor-hub/gateway/src/server';
import { readCommittedSupergraph, type ServiceHandle } from '@lapor-hub/lib';
import type { TestHub } from './hub';

/** More gateways in front of a test hub's subgraphs, each with its own options; `stopAll` in `afterAll`. */
export class ExtraGateways {
  private readonly started: ServiceHandle[] = [];

  async start(hub: TestHub, options: Partial<GatewayOptions> = {}): Promise<ServiceHandle> {
    const gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(hub.subgraphs).map(([name, service]) => [name, service.url])),
      secrets: hub.secrets,
      ...options,
    });
    this.started.push(gateway);
    return gateway;
  }

  async stopAll(): Promise<void> {
    for (const gateway of this.started.splice(0)) await gateway.stop();
  }
}
