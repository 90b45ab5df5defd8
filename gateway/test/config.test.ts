import { readCommittedSupergraph } from '@lapor-hub/lib';
import { loadGatewayConfig } from '../src/config';

const supergraph = readCommittedSupergraph();
/** The committed supergraph with a fourth subgraph, as a new node subgraph would add one. */
const withReports = supergraph.replace(
  'ESCALATION @join__graph(name: "escalation", url: "http://localhost:4003/graphql")',
  '$&\n  REPORTS @join__graph(name: "reports", url: "http://localhost:4004/graphql")',
);

describe('the gateway configuration', () => {
  it('reads every setting once, with the README defaults', () => {
    expect(loadGatewayConfig({}, supergraph)).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      production: false,
      subgraphUrls: {},
      submitRateLimit: { perMinute: 30 },
      deduplicateInflight: true,
    });
    expect(loadGatewayConfig({ NODE_ENV: 'production', PORT: '8080', GATEWAY_DEDUPLICATE_INFLIGHT: 'false', SUBGRAPH_CONNECTIONS: '8' }, supergraph)).toMatchObject({
      port: 8080,
      production: true,
      deduplicateInflight: false,
      subgraphConnections: 8,
    });
  });

  it('takes the subgraphs from the supergraph, each movable by <NAME>_URL', () => {
    expect(loadGatewayConfig({ COMPLAINTS_URL: 'http://complaints.internal:8080/graphql' }, supergraph).subgraphUrls).toEqual({
      complaints: 'http://complaints.internal:8080/graphql',
    });
    expect(loadGatewayConfig({ REPORTS_URL: 'http://reports.internal/graphql', AGENCIES_URL: 'http://agencies.internal/graphql' }, withReports).subgraphUrls).toEqual({
      agencies: 'http://agencies.internal/graphql',
      reports: 'http://reports.internal/graphql',
    });
  });

  it('names every invalid variable in one error, so a misconfigured replica does not start', () => {
    const load = () => loadGatewayConfig({ PORT: 'eighty', AGENCIES_URL: 'not a url', GATEWAY_DEDUPLICATE_INFLIGHT: 'yes' }, supergraph);
    for (const variable of ['PORT', 'AGENCIES_URL', 'GATEWAY_DEDUPLICATE_INFLIGHT']) expect(load).toThrow(variable);
  });
});
