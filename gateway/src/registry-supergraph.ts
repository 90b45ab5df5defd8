import os from 'node:os';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { logger, supergraphSubgraphUrls, type ServiceClient } from '@lapor-hub/lib';

const LATEST_QUERY = 'query LatestSupergraph { supergraph { version sdl } }';
const REJECTION_MUTATION = 'mutation RecordRejection($input: SupergraphRejectionInput!) { recordSupergraphRejection(input: $input) }';

/** How long a new subgraph may take to answer the health check before a version is kept out. */
const HEALTH_CHECK_TIMEOUT_MS = 5000;

export interface RegistrySupergraph {
  version: number;
  sdl: string;
}

/** The registry's latest supergraph, asked of the registry subgraph directly as the gateway service (never through the gateway itself). */
export async function latestSupergraph(registry: ServiceClient): Promise<RegistrySupergraph> {
  return (await registry.request<{ supergraph: RegistrySupergraph }>(LATEST_QUERY)).supergraph;
}

export interface RegistrySupergraphOptions {
  registry: ServiceClient;
  /** The version to serve first (asked for at start). */
  initial: RegistrySupergraph;
  /** How often the registry is asked for its latest version. */
  pollIntervalMs: number;
}

type Latest = RegistrySupergraph;

/** The subgraphs a version adds or moves: only those need proving before it is served. */
function newSubgraphs(previousSdl: string, sdl: string): { name: string; url: string }[] {
  const before = supergraphSubgraphUrls(previousSdl);
  return Object.entries(supergraphSubgraphUrls(sdl))
    .filter(([name, url]) => before[name] !== url)
    .map(([name, url]) => ({ name, url }));
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The gateway's supergraph from the registry (`@apollo/gateway`'s `supergraphSdl` hook): the
 * version given at start, then every `pollIntervalMs` a newer one, served only once each subgraph it adds
 * or moves answers a health check. A version that fails it is kept out, the old one goes on
 * serving, and the registry records why (once per version; the check is tried again at each poll,
 * so a node that was briefly down gets in). Requests already planned finish on the plan they started with.
 */
export function registrySupergraph(options: RegistrySupergraphOptions): SupergraphSdlHook {
  const gatewayName = `${os.hostname()}:${process.pid}`;
  const latest = () => latestSupergraph(options.registry);
  return async ({ update, getDataSource }) => {
    let served = options.initial;
    const reported = new Set<number>();
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;

    const healthCheck = async (candidate: Latest) => {
      await Promise.all(
        newSubgraphs(served.sdl, candidate.sdl).map(async ({ name, url }) => {
          const response = await withTimeout(
            getDataSource({ name, url }).process({
              kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
              request: { query: '{ __typename }' },
              context: {},
            }),
            HEALTH_CHECK_TIMEOUT_MS,
            name,
          ).catch((error: Error) => {
            throw new Error(`${name} (${url}): ${error.message}`);
          });
          if (response.errors?.length) throw new Error(`${name} (${url}): ${response.errors[0].message}`);
        }),
      );
    };

    const reject = async (candidate: Latest, error: Error) => {
      logger.warn({ version: candidate.version, err: error }, 'supergraph version kept out: its health check failed');
      if (reported.has(candidate.version)) return;
      reported.add(candidate.version);
      await options.registry
        .request(REJECTION_MUTATION, { input: { version: candidate.version, gateway: gatewayName, reason: error.message.slice(0, 4000) } })
        .catch((reportError: unknown) => logger.warn({ err: reportError }, 'could not record the rejection in the registry'));
    };

    const poll = async () => {
      try {
        const candidate = await latest();
        if (candidate.version > served.version) {
          try {
            await healthCheck(candidate);
          } catch (error) {
            await reject(candidate, error as Error);
            return;
          }
          if (stopped) return;
          update(candidate.sdl);
          logger.info({ from: served.version, to: candidate.version }, 'serving a new supergraph version');
          served = candidate;
        }
      } catch (error) {
        // The registry being down changes nothing: the version being served goes on.
        logger.warn({ err: error }, 'could not ask the registry for its latest supergraph');
      } finally {
        if (!stopped) schedule();
      }
    };
    const schedule = () => {
      timer = setTimeout(() => void poll(), options.pollIntervalMs);
      timer.unref();
    };
    schedule();
    return {
      supergraphSdl: served.sdl,
      cleanup: async () => {
        stopped = true;
        clearTimeout(timer);
      },
    };
  };
}
