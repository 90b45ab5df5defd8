import '../env';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin, type UnifiedGraphHandler } from '@graphql-hive/gateway';
import { authSecretsFromEnv } from '@lapor-hub/lib';
import { createAuthenticator } from '@lapor-hub/gateway/src/authenticate';
import { gatewayCredentialSigner } from '@lapor-hub/gateway/src/credentials';
import { laporCredentialPlugin } from './lapor-plugin';
import { HIVE_MODES, QUERY_PLAN_HEADER } from './modes';

/**
 * Hive Gateway in its own process for `bench/run.ts --hive`: `node --import tsx bench/hive/serve.ts
 * <mode>` with HIVE_SUPERGRAPH_FILE (the supergraph, its subgraph URLs those of the running hub),
 * AGENCIES_URL and the hub's secrets. Prints `LAPOR_BENCH_READY <url>` once it serves, as
 * `bench/serve.ts` does, so that the runner reads its CPU time and memory from /proc like ours.
 *
 * The runtime (`createGatewayRuntime`, as `test/hive-parity.test.ts` uses it) behind a node http
 * server, not the `hive-gateway` CLI: the CLI loads its config as an ES module, where the hub's
 * modules (CommonJS, `__dirname`) do not load. Per request Hive does what our gateway does
 * (`./lapor-plugin`): the bearer token verified and its node confirmed by the agencies directory
 * (`createAuthenticator`, our gateway's), and a one-time credential signed per subgraph fetch, for
 * that subgraph and over the body it sends.
 */

async function serve(modeName: string): Promise<void> {
  const mode = HIVE_MODES.find((candidate) => candidate.mode === modeName);
  if (!mode) throw new Error(`unknown Hive mode ${modeName}`);
  const supergraphFile = process.env.HIVE_SUPERGRAPH_FILE;
  const agenciesUrl = process.env.AGENCIES_URL;
  if (!supergraphFile || !agenciesUrl) throw new Error('HIVE_SUPERGRAPH_FILE and AGENCIES_URL must be set');
  const secrets = authSecretsFromEnv(process.env);
  const plugins: GatewayPlugin[] = [laporCredentialPlugin({ authenticate: createAuthenticator({ secrets, agenciesUrl }), signCredential: gatewayCredentialSigner(secrets.gatewayKeys) })];
  let unifiedGraphHandler: UnifiedGraphHandler | undefined;
  if (mode.rustPlanner) {
    // Given the handler itself, Hive cannot fall back to its JavaScript planner as its CLI silently does.
    const routerRuntime = await import('@graphql-hive/router-runtime');
    unifiedGraphHandler = routerRuntime.unifiedGraphHandler;
    plugins.push(routerRuntime.useQueryPlan({ expose: (request) => request.headers.get(QUERY_PLAN_HEADER) === 'expose' }) as GatewayPlugin);
  }
  const runtime = createGatewayRuntime({
    supergraph: readFileSync(supergraphFile, 'utf8'),
    logging: 'error',
    ...(mode.deduplicate ? {} : { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }),
    ...(unifiedGraphHandler ? { unifiedGraphHandler } : {}),
    plugins: () => plugins,
  });
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`LAPOR_BENCH_READY http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
  const stop = () => {
    server.closeAllConnections();
    Promise.all([runtime.dispose(), new Promise((resolve) => server.close(resolve))]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

serve(process.argv[2] ?? '').catch((error) => {
  process.stderr.write(`Hive Gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
