// A real OpenID provider (oidc-provider, an ES module) for the pages' sign-in tests, run as a child
// process: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI. Its development login screen takes any
// login name; the accounts below give the role and node claims, as an agency's provider would.
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
const ACCOUNTS = {
  'admin-bima': { role: 'AGENCY_ADMIN', agencyId: 'region-52.06' },
  'dashboard': { role: 'DASHBOARD', agencyId: 'kemenpanrb-lapor' },
};

const provider = new Provider(`http://127.0.0.1:${PORT}`, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  claims: { openid: ['sub', 'role', 'agencyId'] },
  // The role and node travel in the ID token itself, as the hub reads them.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['lapor-hub-test-provider-cookie-key'] },
});
provider.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
