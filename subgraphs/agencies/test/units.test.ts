import { parseInput } from '@lapor-hub/lib';
import { checkUnitParent, createAgencyUnitInput, unitAgencyId, unitSlug } from '../src/domain/units';

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

describe('createAgencyUnitInput', () => {
  const valid = { parentId: 'region-52.06', name: '  Dinas Kesehatan ', acronym: ' Dinkes ' };

  it('trims the name and acronym, and turns a blank acronym into null', () => {
    expect(parseInput(createAgencyUnitInput, valid)).toEqual({ parentId: 'region-52.06', name: 'Dinas Kesehatan', acronym: 'Dinkes' });
    expect(parseInput(createAgencyUnitInput, { ...valid, acronym: '  ' }).acronym).toBeNull();
    expect(parseInput(createAgencyUnitInput, { parentId: 'x', name: 'Ab' }).acronym).toBeNull();
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
      parseInput(createAgencyUnitInput, { ...valid, ...override });
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect((error as Error).message.startsWith(field)).toBe(true);
    }
  });

  it('accepts a name of exactly 2 and of exactly 200 characters', () => {
    expect(parseInput(createAgencyUnitInput, { ...valid, name: 'TU' }).name).toBe('TU');
    expect(parseInput(createAgencyUnitInput, { ...valid, name: 'a'.repeat(200) }).name).toHaveLength(200);
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
