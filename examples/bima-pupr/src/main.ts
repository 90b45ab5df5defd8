import { z } from 'zod';
import { envInteger, parseEnv, runService } from '@lapor-hub/lib';
import { startBimaPuprSubgraph } from './server';

// The node's subgraph on its own: `DATABASE_URL` (its own schema `bima_pupr` there), `PORT`
// (default 4101) and `GATEWAY_JWKS_URL`, the hub gateway's public keys, against which it verifies
// the gateway's credentials. It holds no secret of the hub's.
const schema = z.object({
  DATABASE_URL: z.string(),
  PORT: envInteger(4101),
  GATEWAY_JWKS_URL: z.url().default('http://127.0.0.1:4000/.well-known/jwks.json'),
});

runService(
  'bima-pupr',
  () => ({ ...parseEnv(schema, process.env), workers: 1 }),
  (config) => startBimaPuprSubgraph({ databaseUrl: config.DATABASE_URL, port: config.PORT, gatewayJwksUrl: config.GATEWAY_JWKS_URL }),
);
