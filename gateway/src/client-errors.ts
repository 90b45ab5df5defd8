import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { BadUserInputError } from '@lapor-hub/lib';

/**
 * A request whose operation cannot be chosen or run is the client's mistake, answered HTTP 400
 * before any query plan. Apollo Server leaves it to the executor, and the gateway's executor
 * throws, which Apollo answers as an internal error (HTTP 500): several operations without
 * `operationName`, an `operationName` the document does not define, and a subscription (the
 * hub's schema has none; the gateway runs only queries and mutations).
 */
export const refuseUnresolvableOperations: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (!operation) {
          const message =
            typeof request.operationName === 'string' && request.operationName
              ? `Unknown operation named "${request.operationName}".`
              : 'Must provide operation name if query contains multiple operations.';
          throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
        }
        if (operation.operation === 'subscription') {
          throw new GraphQLError('Subscriptions are not supported: send a query or a mutation', {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
          });
        }
      },
    };
  },
};

/**
 * A validation error caused by a scalar's own refusal of a literal carries the scalar's code
 * (`BAD_USER_INPUT`), as the same value sent as a variable does. Apollo Server raises some refusals of a malformed request (a persisted query's unsupported
 * version, a hash that does not match its query) with an HTTP 4xx status but no code, which would
 * then be masked as `INTERNAL_SERVER_ERROR`: they are the client's, `BAD_REQUEST`.
 */
export function withClientErrorCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError)) return formatted;
  // A literal a scalar refused (`from: "yesterday"`) is refused as the same value in a variable is.
  if (error.originalError instanceof BadUserInputError) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (error.extensions.code !== undefined) return formatted;
  const status = Number((error.extensions.http as { status?: number } | undefined)?.status);
  if (!(status >= 400 && status < 500)) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
}
