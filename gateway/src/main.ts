import { z } from 'zod';
import { authSecretsFromEnv, envWorkers, parseEnv, readCommittedSupergraph, runService, secretsFromEnv } from '@lapor-hub/lib';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import { sessionOptionsFromEnv } from './session';

// The gateway on its own: it serves the registry's supergraph (or, with SUPERGRAPH_SOURCE=file,
// the committed one), each hub subgraph at the URL written there unless `<NAME>_URL` moves it.
// Every setting: ./config and the README.
const supergraphSdl = readCommittedSupergraph();
runService(
  'gateway',
  () => ({
    gateway: { ...loadGatewayConfig(process.env, supergraphSdl), sessions: sessionOptionsFromEnv(process.env) },
    secrets: { ...authSecretsFromEnv(process.env), attachmentUrlSecret: secretsFromEnv(['ATTACHMENT_URL_SECRET'], process.env).ATTACHMENT_URL_SECRET },
    workers: parseEnv(z.object({ WORKERS: envWorkers() }), process.env).WORKERS,
  }),
  ({ gateway, secrets }) => startGateway({ ...gateway, ...(gateway.registry ? {} : { supergraphSdl }), secrets }),
);
