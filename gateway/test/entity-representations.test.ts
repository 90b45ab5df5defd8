import { collapseRepresentations, expandEntities } from '../src/entity-representations';

const agency = (id: string) => ({ __typename: 'Agency', id });

describe('collapsing entity representations', () => {
  it('sends each distinct representation once and remembers where each went', () => {
    expect(collapseRepresentations([agency('a'), agency('b'), agency('a'), agency('a')])).toEqual({
      unique: [agency('a'), agency('b')],
      positions: [0, 1, 0, 0],
    });
  });

  it('leaves fetches without duplicates, or without representations, alone', () => {
    expect(collapseRepresentations([agency('a'), agency('b')])).toBeNull();
    expect(collapseRepresentations([agency('a')])).toBeNull();
    expect(collapseRepresentations(undefined)).toBeNull();
  });

  it('answers every original position, each with its own copy of the entity', () => {
    const { positions } = collapseRepresentations([agency('a'), agency('b'), agency('a')])!;
    const expanded = expandEntities({ data: { _entities: [{ name: 'A', parent: { name: 'P' } }, { name: 'B', parent: null }] } }, positions);
    const entities = (expanded.data as { _entities: { name: string; parent: unknown }[] })._entities;
    expect(entities).toEqual([{ name: 'A', parent: { name: 'P' } }, { name: 'B', parent: null }, { name: 'A', parent: { name: 'P' } }]);
    // The gateway merges later fetches into these objects: a shared one would be merged twice.
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[2].parent).not.toBe(entities[0].parent);
  });

  it('repeats an error on one entity for every position that asked for it, and keeps the others', () => {
    const expanded = expandEntities(
      {
        data: { _entities: [null, { name: 'B' }] },
        errors: [
          { message: 'Not allowed', path: ['_entities', 0, 'name'], extensions: { code: 'FORBIDDEN' } },
          { message: 'whole fetch', extensions: { code: 'SERVICE_UNAVAILABLE' } },
        ],
      },
      [0, 1, 0],
    );
    expect(expanded.data).toEqual({ _entities: [null, { name: 'B' }, null] });
    expect(expanded.errors).toEqual([
      { message: 'Not allowed', path: ['_entities', 0, 'name'], extensions: { code: 'FORBIDDEN' } },
      { message: 'Not allowed', path: ['_entities', 2, 'name'], extensions: { code: 'FORBIDDEN' } },
      { message: 'whole fetch', extensions: { code: 'SERVICE_UNAVAILABLE' } },
    ]);
  });

  it('passes an answer without data through', () => {
    const failed = { errors: [{ message: 'down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] };
    expect(expandEntities(failed, [0, 0])).toEqual(failed);
  });
});
