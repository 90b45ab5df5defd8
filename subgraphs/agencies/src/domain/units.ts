import { z } from 'zod';
import { BadUserInputError, ForbiddenError, UnauthenticatedError, type Viewer } from '@lapor-hub/lib';
import type { Agency } from '../entities/agency';

type Officer = Extract<Viewer, { kind: 'officer' }>;

// Control characters break storage and display of a name.
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

export const createAgencyUnitInput = z.object({
  parentId: z.string().min(1, 'must not be empty'),
  name: z
    .string()
    .trim()
    .min(2, 'must be at least 2 characters')
    .max(200, 'must be at most 200 characters')
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    // The id is made from the name, so the name must give it something to be made of.
    .refine((name) => unitSlug(name) !== '', 'must contain a letter or a digit'),
  acronym: z
    .string()
    .trim()
    .max(50, 'must be at most 50 characters')
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .nullish()
    .transform((value) => value || null),
});

export type CreateAgencyUnitInput = z.output<typeof createAgencyUnitInput>;

/** Validates the input of `createAgencyUnit`; the error names the first offending field, e.g. `input.name`. */
export function parseCreateAgencyUnitInput(raw: unknown): CreateAgencyUnitInput {
  const result = createAgencyUnitInput.safeParse(raw);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = ['input', ...issue.path.map(String)].join('.');
  throw new BadUserInputError(`${field} ${issue.message}`, field);
}

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

/**
 * Who may create a unit under a node: the national admin under any node, and a node's own admin
 * under that node. A caller without a token must authenticate; everyone else is refused.
 */
export function authorizeUnitCreation(viewer: Viewer, parentId: string): Officer {
  if (viewer.kind === 'public') throw new UnauthenticatedError('Creating a unit needs an officer token');
  if (viewer.kind !== 'officer') throw new ForbiddenError('Only the national admin or the node’s admin creates its units');
  if (viewer.role === 'NATIONAL_ADMIN') return viewer;
  if (viewer.role === 'AGENCY_ADMIN' && viewer.agencyId === parentId) return viewer;
  throw new ForbiddenError('Only the national admin or the node’s admin creates its units');
}

/** The parent of a new unit must be a hub node, and not a unit itself (units do not nest). */
export function checkUnitParent(parentId: string, parent: Pick<Agency, 'id' | 'kind'> | null): asserts parent is Pick<Agency, 'id' | 'kind'> {
  if (!parent) throw new BadUserInputError(`input.parentId ${parentId} is not a hub node`, 'input.parentId');
  if (parent.kind === 'UNIT') {
    throw new BadUserInputError(`input.parentId ${parentId} is a unit, and units do not nest`, 'input.parentId');
  }
}
