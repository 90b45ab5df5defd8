import { parseArgs } from 'node:util';
import { NATIONAL_NODE } from '@lapor-hub/agencies/src/seeders/data/national-bodies';
import { authSecretsFromEnv, ROLES, signUserToken, type Role } from '@lapor-hub/lib';

// `npm run token -- --role AGENCY_ADMIN --agency region-52.06 [--sub officer-1] [--expires 8h]`
// prints a token signed with JWT_SECRET or, when it is unset, with the secret this checkout's hub
// uses (DATA_DIR/secrets.json, as `npm start` reads it): for local use only.
const NATIONAL_ROLES: readonly Role[] = ['NATIONAL_ADMIN', 'DASHBOARD'];
const USAGE = [
  `usage: npm run token -- --role <${ROLES.join('|')}> [--agency <agency id>] [--sub <subject>] [--expires 8h]`,
  `  --agency names the officer's node; ${NATIONAL_ROLES.join(' and ')} default to the national node (${NATIONAL_NODE.id})`,
].join('\n');

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { role?: string; agency?: string; sub?: string; expires: string };
try {
  ({ values } = parseArgs({
    options: { role: { type: 'string' }, agency: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string', default: '8h' } },
  }) as { values: typeof values });
} catch (error) {
  fail((error as Error).message);
}
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) fail(role ? `unknown role ${role}` : '--role is required');
const agencyId = values.agency ?? (NATIONAL_ROLES.includes(role) ? NATIONAL_NODE.id : fail(`--agency is required for ${role}`));
const secrets = authSecretsFromEnv(process.env);
if (secrets.jwksUrl) fail('JWT_JWKS_URL is set: the hub accepts only tokens of that identity provider');
void signUserToken({ sub: values.sub ?? `local-${role.toLowerCase()}`, role, agencyId }, secrets.jwtSecret, values.expires).then((token) => console.log(token));
