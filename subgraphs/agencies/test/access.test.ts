import type { Viewer } from '@lapor-hub/lib';
import { authorizeUnitCreation } from '../src/domain/access';

describe('authorizeUnitCreation', () => {
  const officer = (role: Extract<Viewer, { kind: 'officer' }>['role'], agencyId: string): Viewer => ({ kind: 'officer', sub: 'someone', role, agencyId });
  const codeOf = (work: () => unknown) => {
    try {
      work();
      return 'ALLOWED';
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code;
    }
  };

  it('lets the national admin create under any node', () => {
    expect(codeOf(() => authorizeUnitCreation(officer('NATIONAL_ADMIN', 'kemenpanrb-lapor'), 'kemenkes'))).toBe('ALLOWED');
    expect(codeOf(() => authorizeUnitCreation(officer('NATIONAL_ADMIN', 'kemenpanrb-lapor'), 'region-52.06'))).toBe('ALLOWED');
  });

  it('lets a node’s admin create under its own node only', () => {
    expect(codeOf(() => authorizeUnitCreation(officer('AGENCY_ADMIN', 'region-52.06'), 'region-52.06'))).toBe('ALLOWED');
    expect(codeOf(() => authorizeUnitCreation(officer('AGENCY_ADMIN', 'region-52.06'), 'region-52.01'))).toBe('FORBIDDEN');
    // not even under the regencies of the admin's own province
    expect(codeOf(() => authorizeUnitCreation(officer('AGENCY_ADMIN', 'region-52'), 'region-52.06'))).toBe('FORBIDDEN');
  });

  it.each(['LIAISON_OFFICER', 'INSPECTOR', 'AGENCY_SYSTEM', 'DASHBOARD'] as const)('refuses a %s of the node itself', (role) => {
    expect(codeOf(() => authorizeUnitCreation(officer(role, 'region-52.06'), 'region-52.06'))).toBe('FORBIDDEN');
  });

  it('asks a public caller to authenticate and refuses a hub service', () => {
    expect(codeOf(() => authorizeUnitCreation({ kind: 'public' }, 'region-52.06'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeUnitCreation({ kind: 'service', name: 'complaints' }, 'region-52.06'))).toBe('FORBIDDEN');
  });
});
