import { parseArgs } from 'node:util';
import { authSecretsFromEnv, ROLES, signUserToken, type Role } from '@lapor-hub/lib';

// `npm run token -- --role AGENCY_ADMIN --agency region-52.06 [--sub officer-1] [--expires 8h]`
// prints a token signed with JWT_SECRET (or the development secret), for local use only.
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    agency: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});
if (!values.role || !ROLES.includes(values.role as Role) || !values.agency) {
  console.error(`usage: npm run token -- --role <${ROLES.join('|')}> --agency <agency id> [--sub <subject>] [--expires 8h]`);
  process.exit(2);
}
void signUserToken(
  { sub: values.sub ?? `local-${values.role.toLowerCase()}`, role: values.role as Role, agencyId: values.agency },
  authSecretsFromEnv().jwtSecret,
  values.expires,
).then((token) => console.log(token));
