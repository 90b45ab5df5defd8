import { regencyAreas } from '@lapor-hub/gateway/src/areas';

// The districts and villages the portal offers, straight from idn-area-data's CSV files.
test('one regency: its districts with their villages, quoted names unquoted, nothing of another regency', () => {
  const bima = regencyAreas('52.06')!;
  const monta = bima.districts.find((district) => district.code === '52.06.01')!;
  expect(monta.name).toBe('Monta');
  expect(monta.villages).toContainEqual({ code: '52.06.01.2005', name: 'Tolotangga' });
  expect(bima.districts.every((district) => district.code.startsWith('52.06.') && district.villages.every((village) => village.code.startsWith(`${district.code}.`)))).toBe(true);
  expect(regencyAreas('35.29')!.districts).toContainEqual(expect.objectContaining({ code: '35.29.22', name: 'Ra"as' }));
  expect(regencyAreas('12.07')!.districts.flatMap((district) => district.villages)).toContainEqual({ code: '12.07.28.1007', name: 'Lubuk Pakam I,II' });
  expect(regencyAreas('99.99')).toBeNull();
});
