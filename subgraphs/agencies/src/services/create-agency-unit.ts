import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError, parseInput } from '@lapor-hub/lib';
import type { AgenciesContext } from '../context';
import { authorizeUnitCreation } from '../domain/access';
import { checkUnitParent, createAgencyUnitInput, unitAgencyId } from '../domain/units';
import { AgencySchema, type Agency } from '../entities/agency';

/**
 * Creates a work unit (a dinas, a directorate, the Inspectorate) under a node. The caller is
 * checked before the input, so a refused caller learns nothing about the node; the unit lives in
 * its parent's time zone. A unit of the same name under the same parent is a conflict.
 */
export async function createAgencyUnit(context: AgenciesContext, raw: { parentId: string }): Promise<{ agency: Agency }> {
  authorizeUnitCreation(context.viewer, raw.parentId);
  const input = parseInput(createAgencyUnitInput, raw);
  const id = unitAgencyId(input.parentId, input.name);
  try {
    const agency = await context.em.fork().transactional(async (tx) => {
      const parent = await tx.findOne(AgencySchema, { id: input.parentId });
      checkUnitParent(input.parentId, parent);
      if (await tx.count(AgencySchema, { id })) throw unitExists(id);
      const unit = tx.create(AgencySchema, {
        id,
        name: input.name,
        acronym: input.acronym,
        kind: 'UNIT',
        regionCode: null,
        parentId: parent.id,
        timeZone: parent.timeZone,
      });
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
