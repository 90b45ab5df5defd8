import { writeFileSync } from 'node:fs';
import { SUBGRAPH_NAMES, SUPERGRAPH_PATH, composeSupergraph, defaultSubgraphUrl } from '@lapor-hub/lib';

// `npm run compose`: regenerates schema/supergraph.graphql from the subgraph SDL files.
const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, defaultSubgraphUrl(name)]));
writeFileSync(SUPERGRAPH_PATH, composeSupergraph(urls as Record<(typeof SUBGRAPH_NAMES)[number], string>));
console.log(`wrote ${SUPERGRAPH_PATH}`);
