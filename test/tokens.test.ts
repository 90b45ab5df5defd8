import { SignJWT } from 'jose';
import { loadGatewayConfig } from '@lapor-hub/gateway/src/config';
import { readCommittedSupergraph } from '@lapor-hub/lib';
import { ExtraGateways } from './support/extra-gateways';
import { NATIONAL_ID, postGraphQL, TestHub } from './support/hub';

/** Issue "What a hostile client found", item 3: tokens that never expire, or name no node. */
let hub: TestHub;
const gateways = new ExtraGateways();
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => {
  await gateways.stopAll();
  await hub?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 86400;

interface Claims {
  role?: string;
  agencyId?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  iss?: string;
  aud?: string;
}

/** A token signed with the hub's own secret, carrying exactly the claims given. */
function token({ role = 'LIAISON_OFFICER', agencyId = 'region-52.06', ...times }: Claims): Promise<string> {
  return new SignJWT({ role, agencyId, ...times }).setProtectedHeader({ alg: 'HS256' }).setSubject('officer-1').sign(hub.secrets.jwtSecret);
}

const READ = '{ agency(id: "region-52.06") { assignedComplaints { totalCount } } }';

async function statusWith(tokenText: string, url = hub.gateway.url): Promise<number | string> {
  const response = await postGraphQL(url, READ, {}, { authorization: `Bearer ${tokenText}` });
  if (response.status === 401) {
    expect(response.errors).toEqual([{ message: 'Invalid or expired token', extensions: { code: 'UNAUTHENTICATED' } }]);
    return 401;
  }
  return response.errors ? (response.errors[0].extensions?.code ?? 'error') : response.status;
}

describe('token lifetimes', () => {
  it('refuses a token without exp, and one that lives past the cap', async () => {
    expect(await statusWith(await token({ iat: now() }))).toBe(401);
    expect(await statusWith(await token({}))).toBe(401);
    expect(await statusWith(await token({ iat: now(), exp: Date.UTC(3000, 0, 1) / 1000 }))).toBe(401);
    // Officers: 12 hours at most, from iat or, without it, from now.
    expect(await statusWith(await token({ iat: now(), exp: now() + 11 * HOUR }))).toBe(200);
    expect(await statusWith(await token({ iat: now(), exp: now() + 13 * HOUR }))).toBe(401);
    expect(await statusWith(await token({ exp: now() + 11 * HOUR }))).toBe(200);
    expect(await statusWith(await token({ exp: now() + 13 * HOUR }))).toBe(401);
    // An old iat with a far exp is as long-lived as it says.
    expect(await statusWith(await token({ iat: now() - 2 * DAY, exp: now() + HOUR }))).toBe(401);
  });

  it('lets an AGENCY_SYSTEM machine token live 30 days, no longer', async () => {
    expect(await statusWith(await token({ role: 'AGENCY_SYSTEM', iat: now(), exp: now() + 29 * DAY }))).toBe(200);
    expect(await statusWith(await token({ role: 'AGENCY_SYSTEM', iat: now(), exp: now() + 31 * DAY }))).toBe(401);
    expect(await statusWith(await token({ role: 'AGENCY_ADMIN', iat: now(), exp: now() + 29 * DAY }))).toBe(401);
  });

  it('refuses iat or nbf in the future beyond 60 seconds of clock skew', async () => {
    expect(await statusWith(await token({ iat: now() + 30, exp: now() + HOUR }))).toBe(200);
    expect(await statusWith(await token({ iat: now() + 600, exp: now() + HOUR }))).toBe(401);
    expect(await statusWith(await token({ iat: now(), nbf: now() + 30, exp: now() + HOUR }))).toBe(200);
    expect(await statusWith(await token({ iat: now(), nbf: now() + 600, exp: now() + HOUR }))).toBe(401);
    // No grace after exp.
    expect(await statusWith(await token({ iat: now() - HOUR, exp: now() - 1 }))).toBe(401);
  });

  it('caps lifetimes, issuer and audience as configured', async () => {
    const config = loadGatewayConfig(
      { JWT_MAX_LIFETIME_OFFICER: '1h', JWT_MAX_LIFETIME_SYSTEM: '2d', JWT_ISSUER: 'https://sso.lapor.go.id', JWT_AUDIENCE: 'lapor-hub' },
      readCommittedSupergraph(),
    );
    expect(config.tokenPolicy).toEqual({ maxOfficerLifetimeSeconds: HOUR, maxSystemLifetimeSeconds: 2 * DAY, issuer: 'https://sso.lapor.go.id', audience: 'lapor-hub' });
    expect(() => loadGatewayConfig({ JWT_MAX_LIFETIME_OFFICER: 'forever' }, readCommittedSupergraph())).toThrow(/JWT_MAX_LIFETIME_OFFICER/);
    const gateway = await gateways.start(hub, { tokenPolicy: config.tokenPolicy });
    const iss = 'https://sso.lapor.go.id';
    const aud = 'lapor-hub';
    expect(await statusWith(await token({ iss, aud, iat: now(), exp: now() + 50 * 60 }), gateway.url)).toBe(200);
    expect(await statusWith(await token({ iss, aud, iat: now(), exp: now() + 2 * HOUR }), gateway.url)).toBe(401);
    expect(await statusWith(await token({ aud, iat: now(), exp: now() + 50 * 60 }), gateway.url)).toBe(401);
    expect(await statusWith(await token({ iss: 'https://evil.example', aud, iat: now(), exp: now() + 50 * 60 }), gateway.url)).toBe(401);
    expect(await statusWith(await token({ iss, aud: 'another-app', iat: now(), exp: now() + 50 * 60 }), gateway.url)).toBe(401);
    expect(await statusWith(await token({ iss, iat: now(), exp: now() + 50 * 60 }), gateway.url)).toBe(401);
    // The hub's own gateway checks neither.
    expect(await statusWith(await token({ iat: now(), exp: now() + 50 * 60 }))).toBe(200);
  });
});

describe('the node a token names', () => {
  it('must exist in the hub', async () => {
    for (const agencyId of ['no-such-node', 'REGION-52.06', 'region-52.06 ', 'region-%']) {
      expect(await statusWith(await token({ role: 'AGENCY_ADMIN', agencyId, iat: now(), exp: now() + HOUR }))).toBe(401);
    }
    expect(await statusWith(await token({ role: 'AGENCY_ADMIN', agencyId: 'region-52.06', iat: now(), exp: now() + HOUR }))).toBe(200);
  });

  it('is the national node for a NATIONAL_ADMIN', async () => {
    for (const agencyId of ['region-52.06', 'region-52', 'kemenkes']) {
      expect(await statusWith(await token({ role: 'NATIONAL_ADMIN', agencyId, iat: now(), exp: now() + HOUR }))).toBe(401);
    }
    expect(await statusWith(await token({ role: 'NATIONAL_ADMIN', agencyId: NATIONAL_ID, iat: now(), exp: now() + HOUR }))).toBe(200);
  });

  it('is checked on the CSV exports too', async () => {
    const exportWith = async (tokenText: string) =>
      (await fetch(new URL('/export/complaints.csv?agencyId=region-52.06', hub.gateway.url), { headers: { authorization: `Bearer ${tokenText}` } })).status;
    expect(await exportWith(await token({ role: 'NATIONAL_ADMIN', agencyId: 'region-52.06', iat: now(), exp: now() + HOUR }))).toBe(401);
    expect(await exportWith(await token({ role: 'AGENCY_ADMIN', agencyId: 'no-such-node', iat: now(), exp: now() + HOUR }))).toBe(401);
    expect(await exportWith(await token({ role: 'AGENCY_ADMIN', iat: now(), exp: now() + Date.UTC(3000, 0, 1) / 1000 }))).toBe(401);
    expect(await exportWith(await token({ role: 'AGENCY_ADMIN', iat: now(), exp: now() + HOUR }))).toBe(200);
  });
});
