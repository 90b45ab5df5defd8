import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { defaultSubgraphUrl, readCommittedSupergraph, SUBGRAPH_NAMES, supergraphSubgraphUrls } from '@lapor-hub/lib';
import { composeSupergraph } from '@lapor-hub/lib/composition';

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

describe('the resolver types of each subgraph', () => {
  it('are what `npm run codegen` produces from the SDL today (not stale)', () => {
    const root = path.resolve(__dirname, '..');
    expect(() => execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['schema/compose.ts', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
