import type { Viewer } from '@lapor-hub/lib';
import { authorizeGateway, authorizeNamespace, authorizeRegistryRead, authorizeSubgraphChange } from '../src/domain/access';
import type { Subgraph } from '../src/entities/subgraph';

const officer = (role: Extract<Viewer, { kind: 'officer' }>['role'], agencyId: string): Viewer => ({ kind: 'officer', sub: 'someone', role, agencyId });
const codeOf = (work: () => unknown) => {
  try {
    work();
    return 'ALLOWED';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('who changes a node subgraph', () => {
  it('the national admin for any node, the node’s own admin for its node', () => {
    expect(codeOf(() => authorizeSubgraphChange(officer('NATIONAL_ADMIN', 'kemenpanrb-lapor'), 'region-52.06'))).toBe('ALLOWED');
    expect(codeOf(() => authorizeSubgraphChange(officer('AGENCY_ADMIN', 'region-52.06'), 'region-52.06'))).toBe('ALLOWED');
    expect(codeOf(() => authorizeSubgraphChange(officer('AGENCY_ADMIN', 'region-52'), 'region-52.06'))).toBe('FORBIDDEN');
  });

  it.each(['LIAISON_OFFICER', 'INSPECTOR', 'AGENCY_SYSTEM', 'DASHBOARD'] as const)('not a %s of the node', (role) => {
    expect(codeOf(() => authorizeSubgraphChange(officer(role, 'region-52.06'), 'region-52.06'))).toBe('FORBIDDEN');
  });

  it('not the public (who must sign in) nor a hub service', () => {
    expect(codeOf(() => authorizeSubgraphChange({ kind: 'public' }, 'region-52.06'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeSubgraphChange({ kind: 'service', name: 'gateway' }, 'region-52.06'))).toBe('FORBIDDEN');
  });

  it('never under another node’s namespace; the hub’s own names are a check finding, not a refusal here', () => {
    const registered = (kind: 'HUB' | 'NODE', agencyId: string | null) => ({ name: 'bimaPupr', kind, agencyId }) as Subgraph;
    expect(codeOf(() => authorizeNamespace('region-52.06', registered('NODE', 'region-52.04')))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeNamespace('region-52.06', registered('NODE', 'region-52.06')))).toBe('ALLOWED');
    expect(codeOf(() => authorizeNamespace('region-52.06', registered('HUB', null)))).toBe('ALLOWED');
    expect(codeOf(() => authorizeNamespace('region-52.06', null))).toBe('ALLOWED');
  });
});

describe('who reads the registry', () => {
  it('officers and the gateways; the supergraph SDL and rejections are the gateways’ alone', () => {
    expect(codeOf(() => authorizeRegistryRead(officer('LIAISON_OFFICER', 'region-52.06')))).toBe('ALLOWED');
    expect(codeOf(() => authorizeRegistryRead({ kind: 'service', name: 'gateway' }))).toBe('ALLOWED');
    expect(codeOf(() => authorizeRegistryRead({ kind: 'public' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeGateway({ kind: 'service', name: 'gateway' }))).toBe('ALLOWED');
    expect(codeOf(() => authorizeGateway({ kind: 'service', name: 'complaints' }))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeGateway(officer('NATIONAL_ADMIN', 'kemenpanrb-lapor')))).toBe('FORBIDDEN');
  });
});
