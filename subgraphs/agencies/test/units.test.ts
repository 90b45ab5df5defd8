import type { Viewer } from '@lapor-hub/lib';
import { authorizeUnitCreation, checkUnitParent, parseCreateAgencyUnitInput, unitAgencyId, unitSlug } from '../src/domain/units';

describe('unitSlug and unitAgencyId', () => {
  it.each([
    ['Dinas Kesehatan', 'dinas-kesehatan'],
    ['  Dinas   Pariwisata & Kebudayaan  ', 'dinas-pariwisata-kebudayaan'],
    ['Inspektorat', 'inspektorat'],
    ['Direktorat Jenderal P2P (Pencegahan dan Pengendalian Penyakit)', 'direktorat-jenderal-p2p-pencegahan-dan-pengendalian-penyakit'],
    ['Badan Pendapatan Daerah -- BAPENDA', 'badan-pendapatan-daerah-bapenda'],
    ['Rumah Sakit Umum Daerah Sondosía', 'rumah-sakit-umum-daerah-sondosia'],
    ['!!!', ''],
  ])('slugs %j as %j', (name, slug) => {
    expect(unitSlug(name)).toBe(slug);
  });

  it('puts the unit below its parent', () => {
    expect(unitAgencyId('region-52.06', 'Dinas Kesehatan')).toBe('region-52.06.unit-dinas-kesehatan');
    expect(unitAgencyId('kemenkes', 'Inspektorat Jenderal')).toBe('kemenkes.unit-inspektorat-jenderal');
  });
});

describe('parseCreateAgencyUnitInput', () => {
  const valid = { parentId: 'region-52.06', name: '  Dinas Kesehatan ', acronym: ' Dinkes ' };

  it('trims the name and acronym, and turns a blank acronym into null', () => {
    expect(parseCreateAgencyUnitInput(valid)).toEqual({ parentId: 'region-52.06', name: 'Dinas Kesehatan', acronym: 'Dinkes' });
    expect(parseCreateAgencyUnitInput({ ...valid, acronym: '  ' }).acronym).toBeNull();
    expect(parseCreateAgencyUnitInput({ parentId: 'x', name: 'Ab' }).acronym).toBeNull();
  });

  it.each([
    [{ name: '' }, 'input.name'],
    [{ name: '   ' }, 'input.name'],
    [{ name: ' A ' }, 'input.name'],
    [{ name: 'a'.repeat(201) }, 'input.name'],
    [{ name: 'Dinas\u0000Kesehatan' }, 'input.name'],
    [{ name: 'Dinas\nKesehatan' }, 'input.name'],
    [{ name: '——' }, 'input.name'],
    [{ acronym: 'x'.repeat(51) }, 'input.acronym'],
    [{ acronym: 'Din\tkes' }, 'input.acronym'],
    [{ parentId: '' }, 'input.parentId'],
  ])('refuses %j, naming %s', (override, field) => {
    expect.assertions(2);
    try {
      parseCreateAgencyUnitInput({ ...valid, ...override });
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect((error as Error).message.startsWith(field)).toBe(true);
    }
  });

  it('accepts a name of exactly 2 and of exactly 200 characters', () => {
    expect(parseCreateAgencyUnitInput({ ...valid, name: 'TU' }).name).toBe('TU');
    expect(parseCreateAgencyUnitInput({ ...valid, name: 'a'.repeat(200) }).name).toHaveLength(200);
  });
});

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

describe('checkUnitParent', () => {
  it('accepts any node but a unit', () => {
    expect(() => checkUnitParent('region-52.06', { id: 'region-52.06', kind: 'REGENCY' })).not.toThrow();
    expect(() => checkUnitParent('kemenpanrb-lapor', { id: 'kemenpanrb-lapor', kind: 'NATIONAL' })).not.toThrow();
  });

  it.each([
    ['no-such-node', null, /is not a hub node/],
    ['region-52.06.unit-dinas-kesehatan', { id: 'region-52.06.unit-dinas-kesehatan', kind: 'UNIT' as const }, /units do not nest/],
  ])('refuses %s as BAD_USER_INPUT on input.parentId', (parentId, parent, message) => {
    expect.assertions(2);
    try {
      checkUnitParent(parentId, parent);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as { extensions: unknown }).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.parentId' });
    }
  });
});
