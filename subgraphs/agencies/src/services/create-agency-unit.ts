import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, type Viewer } from '@lapor-hub/lib';
import { authorizeUnitCreation, checkUnitParent, parseCreateAgencyUnitInput, unitAgencyId } from '../domain/units';
import { Agency } from '../entities/agency';

export interface CreateAgencyUnitDependencies {
  em: EntityManager;
  viewer: Viewer;
}

export interface CreateAgencyUnitResult {
  agency: Agency;
}

/**
 * Creates a work unit (a dinas, a directorate, the Inspectorate) under a node. The caller is
 * checked before the input, so a refused caller learns nothing about the node; the unit lives in
 * its parent's time zone. A unit of the same name under the same parent is a conflict.
 */
export async function createAgencyUnit(
  deps: CreateAgencyUnitDependencies,
  rawInput: { parentId: string },
): Promise<CreateAgencyUnitResult> {
  authorizeUnitCreation(deps.viewer, rawInput.parentId);
  const input = parseCreateAgencyUnitInput(rawInput);
  const id = unitAgencyId(input.parentId, input.name);
  try {
    const agency = await deps.em.fork().transactional(async (tx) => {
      const parent = await tx.findOne(Agency, { id: input.parentId });
      checkUnitParent(input.parentId, parent);
      if (await tx.count(Agency, { id })) throw unitExists(id);
      const unit = Object.assign(new Agency(), {
        id,
        name: input.name,
        acronym: input.acronym,
        kind: 'UNIT' as const,
        regionCode: null,
        parentId: parent.id,
        timeZone: parent.timeZone,
      });
      tx.persist(unit);
      await tx.flush();
      return unit;
    });
    return { agency };
  } catch (error) {
    // Two callers creating the same unit at once: the second insert hits the primary key.
    if (error instanceof UniqueConstraintViolationException) throw unitExists(id);
    throw error;
  }
}

function unitExists(id: string): ConflictError {
  return new ConflictError(`A node with id ${id} already exists; choose another name`);
}
