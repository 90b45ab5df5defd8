import { z } from 'zod';
import { BadUserInputError, lineText, optionalLineText } from '@lapor-hub/lib';
import type { Agency } from '../entities/agency';

export const createAgencyUnitInput = z.object({
  parentId: z.string().min(1, 'must not be empty'),
  // The id is made from the name, so the name must give it something to be made of.
  name: lineText(200, 2).refine((name) => unitSlug(name) !== '', 'must contain a letter or a digit'),
  acronym: optionalLineText(50),
});

export type CreateAgencyUnitInput = z.output<typeof createAgencyUnitInput>;

/**
 * The slug of a unit's name: lower case, accents dropped, every run of other characters than a–z
 * and 0–9 collapsed to one `-`, none at either end (`Dinas Kesehatan` → `dinas-kesehatan`).
 */
export function unitSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The id of a unit under `parentId`, e.g. `region-52.06.unit-dinas-kesehatan`. */
export function unitAgencyId(parentId: string, name: string): string {
  return `${parentId}.unit-${unitSlug(name)}`;
}

/** The parent of a new unit must be a hub node, and not a unit itself (units do not nest). */
export function checkUnitParent(parentId: string, parent: Pick<Agency, 'id' | 'kind'> | null): asserts parent is Pick<Agency, 'id' | 'kind'> {
  if (!parent) throw new BadUserInputError(`input.parentId ${parentId} is not a hub node`, 'input.parentId');
  if (parent.kind === 'UNIT') {
    throw new BadUserInputError(`input.parentId ${parentId} is a unit, and units do not nest`, 'input.parentId');
  }
}
