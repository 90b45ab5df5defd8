import { isScalarType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { DateTimeScalar } from '@lapor-hub/lib';

/**
 * The gateway's schema comes from the supergraph, whose custom scalars accept any value: a bad
 * `DateTime` went on to a subgraph, which refused it as `GRAPHQL_VALIDATION_FAILED` when written
 * literally and `BAD_USER_INPUT` when sent as a variable, both in an HTTP 200 answer. Here the
 * gateway checks it as the subgraphs do, before any query plan, while still passing the value on
 * exactly as the client sent it.
 */
export function checkHubScalars(schema: GraphQLSchema): void {
  const dateTime = schema.getType('DateTime');
  if (!isScalarType(dateTime)) return;
  dateTime.parseValue = (value) => {
    DateTimeScalar.parseValue(value);
    return value;
  };
  dateTime.parseLiteral = (ast, variables) => {
    DateTimeScalar.parseLiteral(ast, variables);
    return valueFromASTUntyped(ast, variables);
  };
}
