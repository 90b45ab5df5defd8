import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HubError, logger } from '@lapor-hub/lib';
import type { GatewayContext } from './subgraph-data-source';

/** How many `submitComplaint`s one client may send. */
export interface SubmitRateLimit {
  /** The sustained rate, per client. */
  perMinute: number;
  /** How many a client may send at once before waiting (default: `perMinute`). */
  burst?: number;
}

/** The public mutation that files a complaint: the one SMS gateways and apps call for citizens. */
const LIMITED_FIELD = 'submitComplaint';

/**
 * How many times `operation` runs `submitComplaint`: one per distinct response key at the root of a
 * mutation, aliases included and fragments followed (`a: submitComplaint(…) b: submitComplaint(…)`
 * is two; the same key twice merges into one execution, as GraphQL does). A field under `@skip` or
 * `@include` counts all the same.
 */
export function submitCount(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined): number {
  if (operation?.operation !== 'mutation') return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document?.definitions ?? []) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const responseKeys = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === LIMITED_FIELD) responseKeys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return responseKeys.size;
}

/**
 * Limits `submitComplaint` per client: the bearer token's `sub` when there is one, else the
 * client's IP address (`req.ip`: set `trustProxy` behind a proxy). The counters live in this
 * process (rate-limiter-flexible's memory store), so with several gateway replicas each one
 * allows the limit. A client gets `burst` submissions per `burst / perMinute` minutes; over that,
 * the whole operation is refused with `RATE_LIMITED`, HTTP 429 and `retry-after`, before any
 * subgraph is asked, and the refused attempt does not count.
 */
export function submitRateLimitPlugin(limit: SubmitRateLimit): ApolloServerPlugin<GatewayContext> {
  const burst = limit.burst ?? limit.perMinute;
  if (!(limit.perMinute > 0) || !Number.isInteger(burst) || burst < 1) {
    throw new Error(`Invalid submit rate limit ${JSON.stringify(limit)}: perMinute must be positive and burst a positive integer`);
  }
  const limiter = new RateLimiterMemory({ keyPrefix: 'submit-complaint', points: burst, duration: Math.ceil((burst / limit.perMinute) * 60) });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const count = submitCount(operation, document);
          if (count === 0 || !contextValue.clientId) return;
          try {
            await limiter.consume(contextValue.clientId, count);
          } catch (error) {
            if (!(error instanceof RateLimiterRes)) throw error;
            await limiter.reward(contextValue.clientId, count);
            const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
            logger.warn({ clientId: contextValue.clientId, count, retryAfter }, 'submitComplaint rate limited');
            throw new HubError(`Too many complaints submitted from this client; retry in ${retryAfter} s`, 'RATE_LIMITED', {
              http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
            });
          }
        },
      };
    },
  };
}
