import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPH_NAMES, SUPERGRAPH_PATH, defaultSubgraphUrl } from '@lapor-hub/lib';
import { composeSupergraph } from '@lapor-hub/lib/composition';
import { generateResolverTypes, resolverTypesPath } from './codegen';

// `npm run compose`: regenerates schema/supergraph.graphql from the subgraph SDL files, then each
// subgraph's resolver types (`--types-only`: the types alone, which `npm run codegen` runs).
// `--check` writes nothing and fails when a committed resolver-types file is stale (the test runs it
// as a process: the codegen plugins are ES modules that Jest's CommonJS loader cannot require).
async function main(): Promise<void> {
  if (!process.argv.includes('--types-only') && !process.argv.includes('--check')) {
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, defaultSubgraphUrl(name)]));
    writeFileSync(SUPERGRAPH_PATH, composeSupergraph(urls as Record<(typeof SUBGRAPH_NAMES)[number], string>));
    console.log(`wrote ${SUPERGRAPH_PATH}`);
  }
  const check = process.argv.includes('--check');
  for (const name of SUBGRAPH_NAMES) {
    const target = resolverTypesPath(name);
    if (check) {
      if (readFileSync(target, 'utf8') !== (await generateResolverTypes(name))) {
        console.error(`${path.relative(process.cwd(), target)} is stale: run npm run codegen`);
        process.exitCode = 1;
      }
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, await generateResolverTypes(name));
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
}

void main();
