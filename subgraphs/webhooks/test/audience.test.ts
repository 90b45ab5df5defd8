import type { NodeFacts } from '@lapor-hub/lib';
import { eventAudience } from '../src/domain/access';

const node = (id: string, kind: string, ancestorIds: string[]): NodeFacts => ({
  id,
  kind,
  parentId: ancestorIds[0] ?? null,
  parentKind: null,
  ancestorIds,
  timeZone: 'Asia/Makassar',
});

const FACTS = new Map<string, NodeFacts | null>([
  ['region-52.06', node('region-52.06', 'REGENCY', ['region-52', 'national'])],
  ['unit-dinas-pupr', node('unit-dinas-pupr', 'UNIT', ['region-52.06', 'region-52', 'national'])],
  ['kemenkes', node('kemenkes', 'MINISTRY', ['national'])],
  ['gone', null],
]);

describe('eventAudience', () => {
  it("gives a regency's event to the regency as its own and to the province and the nation as monitors", () => {
    expect(eventAudience(['region-52.06'], FACTS)).toEqual({ agencyIds: ['region-52.06'], ancestorIds: ['region-52', 'national'] });
  });

  it("gives a unit's event to the node it belongs to as its own, not as a monitor", () => {
    expect(eventAudience(['unit-dinas-pupr'], FACTS)).toEqual({ agencyIds: ['unit-dinas-pupr', 'region-52.06'], ancestorIds: ['region-52', 'national'] });
  });

  it('keeps a node that reads it as its own out of the monitors, whatever the order, and each node once', () => {
    expect(eventAudience(['kemenkes', 'region-52.06'], FACTS)).toEqual({ agencyIds: ['kemenkes', 'region-52.06'], ancestorIds: ['national', 'region-52'] });
    expect(eventAudience(['region-52.06', 'unit-dinas-pupr'], FACTS)).toEqual({ agencyIds: ['region-52.06', 'unit-dinas-pupr'], ancestorIds: ['region-52', 'national'] });
  });

  it('reaches a node the directory does not know (any more) by its id alone', () => {
    expect(eventAudience(['gone'], FACTS)).toEqual({ agencyIds: ['gone'], ancestorIds: [] });
  });
});
