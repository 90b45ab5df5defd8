import path from 'node:path';
import { logger, publicJwks, SUBGRAPH_NAMES, type ServiceHandle, type SubgraphName } from '@lapor-hub/lib';
import type { HubConfig, HubDatabaseUrls, HubServiceName } from './config';

export interface RunningHub {
  /** The gateway's GraphQL endpoint. */
  url: string;
  /** Each running service; `stop` stops the ones held here then, so a service restarted in its place is stopped too. */
  services: Record<HubServiceName, ServiceHandle>;
  stop(): Promise<void>;
}

/** A hub's configuration once its databases are known. */
export type HubServiceConfig = Omit<HubConfig, 'databases'> & { databases: HubDatabaseUrls };

/**
 * The whole hub in this process: the embedded databases when configured, then agencies,
 * webhooks, complaints, escalation, the registry and the gateway, each told where the ones before it answer. `npm start`,
 * the tests and the benchmark start it this one way.
 */
export async function startHub(config: HubConfig): Promise<RunningHub> {
  const stopDatabases: (() => Promise<void>)[] = [];
  const services = {} as Record<HubServiceName, ServiceHandle>;
  const stop = async () => {
    // Gateway first, databases last, so that nothing in flight loses its database.
    const running = (['gateway', 'registry', 'escalation', 'complaints', 'webhooks', 'agencies'] as const).map((name) => services[name]).filter(Boolean);
    for (const step of [...running.map((service) => service.stop), ...stopDatabases]) {
      await step().catch((error) => logger.error({ err: error }, 'stop failed'));
    }
  };
  try {
    let databases: HubDatabaseUrls;
    if ('embeddedDir' in config.databases) {
      const urls = {} as Record<SubgraphName, string>;
      for (const name of SUBGRAPH_NAMES) {
        const { startEmbeddedPostgres } = require('@lapor-hub/lib/embedded') as typeof import('@lapor-hub/lib/embedded');
        const embedded = await startEmbeddedPostgres({ dataDir: path.join(config.databases.embeddedDir, name) });
        stopDatabases.unshift(embedded.stop);
        urls[name] = embedded.url;
      }
      logger.info({ dataDir: config.databases.embeddedDir }, 'using the embedded PostgreSQL');
      databases = { urls, poolMax: 1 };
    } else {
      databases = config.databases;
    }
    const wired: HubServiceConfig = { ...config, databases };
    for (const name of [...SUBGRAPH_NAMES, 'gateway'] as const) {
      services[name] = await startHubService(name, wired, Object.fromEntries(SUBGRAPH_NAMES.filter((other) => services[other]).map((other) => [other, services[other].url])));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: services.gateway.url, services, stop };
}

/**
 * One service of the hub, wired from the hub's configuration, given where the services it calls
 * answer (`upstream`): what `startHub` starts for each, and what the benchmark starts in a process
 * of its own. Each service's modules are loaded here, when it starts: a process that runs one
 * service keeps only that service's code and libraries resident (an idle service held ~110 MiB of
 * heap with all six loaded; sharp, nodemailer, PGlite and the composition in every process). They
 * are required, not imported with `import()`: the hub's processes run TypeScript through tsx's
 * CommonJS hook alone (`--require tsx/cjs`), without the thread of its ES module loader, and an
 * `import()` of a TypeScript file would find no loader there.
 */
export async function startHubService(name: HubServiceName, config: HubServiceConfig, upstream: Partial<Record<SubgraphName, string>>): Promise<ServiceHandle> {
  const urlOf = (other: SubgraphName) => {
    const url = upstream[other];
    if (!url) throw new Error(`${name} needs the ${other} service's URL`);
    return url;
  };
  if (name === 'gateway') {
    const { startGateway } = require('@lapor-hub/gateway/src/server') as typeof import('@lapor-hub/gateway/src/server');
    // The registry records where each subgraph answers: its supergraph needs no URL moved.
    return startGateway({
      ...config.gateway,
      registry: { url: urlOf('registry'), pollIntervalMs: config.registry.pollIntervalMs },
      allowPrivateNodeSubgraphUrls: config.registry.allowPrivateUrls,
      secrets: config.secrets,
      production: config.production,
      port: config.ports.gateway,
      host: config.host,
    });
  }
  const common = {
    databaseUrl: config.databases.urls[name],
    poolMax: config.databases.poolMax,
    // A subgraph holds the gateway's public keys only, never its private key.
    secrets: { serviceKeys: config.secrets.serviceKeys, gatewayPublicKeys: { jwks: publicJwks(config.secrets.gatewayKeys) } },
    port: config.ports[name],
    onQuery: config.onQuery?.(name),
  };
  switch (name) {
    case 'agencies': {
      const { startAgenciesService } = require('@lapor-hub/agencies/src/server') as typeof import('@lapor-hub/agencies/src/server');
      return startAgenciesService(common);
    }
    case 'webhooks': {
      const { startWebhooksService } = require('@lapor-hub/webhooks/src/server') as typeof import('@lapor-hub/webhooks/src/server');
      return startWebhooksService({ ...common, ...config.webhooks, agenciesUrl: urlOf('agencies') });
    }
    case 'complaints': {
      const { startComplaintsService } = require('@lapor-hub/complaints/src/server') as typeof import('@lapor-hub/complaints/src/server');
      return startComplaintsService({
        ...common,
        agenciesUrl: urlOf('agencies'),
        webhooksUrl: urlOf('webhooks'),
        hubEventRelay: config.hubEventRelay,
        reporterContactKey: config.secrets.reporterContactKey,
        attachmentUrlSecret: config.secrets.attachmentUrlSecret,
        sweep: config.sweeps.complaints,
        notifications: config.notifications,
      });
    }
    case 'escalation': {
      const { startEscalationService } = require('@lapor-hub/escalation/src/server') as typeof import('@lapor-hub/escalation/src/server');
      return startEscalationService({
        ...common,
        agenciesUrl: urlOf('agencies'),
        complaintsUrl: urlOf('complaints'),
        webhooksUrl: urlOf('webhooks'),
        hubEventRelay: config.hubEventRelay,
        slaSweep: config.sweeps.escalation,
        relay: config.relay,
      });
    }
    case 'registry': {
      const { startRegistryService } = require('@lapor-hub/registry/src/server') as typeof import('@lapor-hub/registry/src/server');
      const { gatewayCredentialSigner } = require('@lapor-hub/gateway/src/credentials') as typeof import('@lapor-hub/gateway/src/credentials');
      return startRegistryService({
        ...common,
        hubSubgraphUrls: { agencies: urlOf('agencies'), complaints: urlOf('complaints'), escalation: urlOf('escalation'), webhooks: urlOf('webhooks') },
        allowPrivateUrls: config.registry.allowPrivateUrls,
        signCredential: gatewayCredentialSigner(config.secrets.gatewayKeys),
        probeTimeoutMs: config.registry.probeTimeoutMs,
      });
    }
  }
}
