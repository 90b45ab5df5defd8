import { z } from 'zod';
import { envInteger, parseEnv, runService, secretsFromEnv } from '@lapor-hub/lib';
import { startBimaPuprSubgraph } from './server';

// The node's subgraph on its own: `DATABASE_URL` (its own schema `bima_pupr` there), `PORT`
// (default 4101) and `GATEWAY_SECRET`, with which it verifies the hub gateway's credential.
const schema = z.object({ DATABASE_URL: z.string(), PORT: envInteger(4101) });

runService(
  'bima-pupr',
  () => {
    const config = parseEnv(schema, process.env);
    return { ...config, secrets: { gatewaySecret: secretsFromEnv(['GATEWAY_SECRET'], process.env).GATEWAY_SECRET }, workers: 1 };
  },
  (config) => startBimaPuprSubgraph({ databaseUrl: config.DATABASE_URL, port: config.PORT, secrets: config.secrets }),
);
