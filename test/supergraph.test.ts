import { composeSupergraph, defaultSubgraphUrl, readCommittedSupergraph, SUBGRAPH_NAMES, supergraphSubgraphUrls } from '@lapor-hub/lib';

describe('the supergraph in schema/', () => {
  const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, defaultSubgraphUrl(name)])) as Record<
    (typeof SUBGRAPH_NAMES)[number],
    string
  >;

  it('composes from the subgraph SDL files without errors', () => {
    expect(() => composeSupergraph(urls)).not.toThrow();
  });

  it('is what `npm run compose` produces today (not stale)', () => {
    expect(readCommittedSupergraph()).toBe(composeSupergraph(urls));
  });

  it('names every subgraph with its default URL', () => {
    expect(supergraphSubgraphUrls(readCommittedSupergraph())).toEqual(urls);
  });
});
