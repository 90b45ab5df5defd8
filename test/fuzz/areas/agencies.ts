/** The agency directory and its units: the paged `agencies` query and `createAgencyUnit`. */
import * as fc from 'fast-check';
import { alnum, authorization, authPlan, type BuildContext, cursor, field, hostileInt, hostileString, inputOf, materialize, nodeId, validText, wrongType } from '../arbitraries';
import { check, expectThat, send, type Sent } from '../oracle';
import { fuzz, lifecycleCall } from '../property';
import { type FuzzWorld, MINISTRY, NATIONAL_ID, OTHER_PROVINCE, PROVINCE, REGENCY } from '../world';

/** The public directory: paging, search and filters. */
export function agencyListing(world: FuzzWorld): void {
  it('agencies(first, after, search, kind, parentId)', async () => {
    const plan = fc.record({
      first: field(fc.integer({ min: 0, max: 100 }), { valid: 5, hostile: 1, wrong: 1, missing: 2 }),
      firstEdge: hostileInt,
      useEdge: fc.boolean(),
      after: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: cursor(() => world.book.agencyCursors) }),
      search: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('bima', 'Kab', 'kementerian', 'NUSA', '%', '_', '\\') },
        { weight: 4, arbitrary: fc.oneof(hostileString, wrongType) },
      ),
      kind: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('NATIONAL', 'MINISTRY', 'PROVINCE', 'REGENCY', 'CITY', 'UNIT') },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('unit', 'DROP', 'UNIT ', ''), wrongType) },
      ),
      parentId: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.oneof(hostileString, wrongType) }),
      auth: authPlan([['NATIONAL_ADMIN', NATIONAL_ID], ['AGENCY_ADMIN', REGENCY]]),
    });
    await fuzz(world, plan, 250, async (value) => {
      const context: BuildContext = { world };
      const variables = materialize(
        { first: value.useEdge ? value.firstEdge : value.first, after: value.after, search: value.search, kind: value.kind, parentId: value.parentId },
        context,
      ) as Record<string, unknown>;
      const sent: Sent = {
        operation: 'agencies',
        query: `query($first: Int, $after: String, $search: String, $kind: AgencyKind, $parentId: ID) {
          agencies(first: $first, after: $after, search: $search, kind: $kind, parentId: $parentId) {
            totalCount edges { cursor node { id name kind } } pageInfo { hasNextPage endCursor } } }`,
        variables,
        authorization: await authorization(value.auth, context),
      };
      const data = check(world, sent, await send(world, sent), 'agencies', (page: any) => {
        expectThat(Array.isArray(page.edges), 'edges is a list');
        const first = (variables.first ?? 20) as number;
        expectThat(page.edges.length <= first, `${page.edges.length} edges for first: ${first}`);
        expectThat(Number.isInteger(page.totalCount) && page.totalCount >= 0, 'totalCount is a count');
        expectThat(typeof page.pageInfo.hasNextPage === 'boolean', 'hasNextPage is a boolean');
        for (const edge of page.edges) expectThat(typeof edge.cursor === 'string' && typeof edge.node.id === 'string', 'edges carry cursors and nodes');
      });
      if (data?.pageInfo.endCursor && world.book.agencyCursors.length < 50) world.book.agencyCursors.push(data.pageInfo.endCursor);
    });
  });
}

/** Creating a unit under a node. */
export function createAgencyUnit(world: FuzzWorld): void {
  it('createAgencyUnit', async () => {
    const validName = fc.oneof(
      fc.constantFrom('Dinas Kesehatan', 'Biro Hukum', 'Inspektorat', 'Dinas Pendidikan dan Kebudayaan'),
      fc.tuple(fc.constantFrom('Dinas', 'Biro', 'Bagian', 'Unit'), fc.string({ unit: alnum, minLength: 3, maxLength: 12 })).map(([kind, word]) => `${kind} ${word}`),
      fc.tuple(validText(150), fc.string({ unit: alnum, minLength: 2, maxLength: 8 })).map(([text, word]) => `${word} ${text}`.slice(0, 200)),
    );
    const valid = fc.record({
      parentId: fc.constantFrom(REGENCY, PROVINCE, MINISTRY, OTHER_PROVINCE, NATIONAL_ID),
      name: validName,
      acronym: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ unit: alnum, minLength: 1, maxLength: 10 }), validText(50)),
    });
    const fuzzed = fc.record({
      parentId: field(nodeId()),
      name: field(validName),
      acronym: field(fc.string({ unit: alnum, maxLength: 10 })),
    });
    const plan = fc.record({
      input: inputOf(valid, fuzzed),
      auth: authPlan([
        ['NATIONAL_ADMIN', NATIONAL_ID],
        ['NATIONAL_ADMIN', NATIONAL_ID],
        ['AGENCY_ADMIN', REGENCY],
        ['AGENCY_ADMIN', PROVINCE],
        ['AGENCY_ADMIN', MINISTRY],
        ['LIAISON_OFFICER', REGENCY],
      ]),
    });
    await fuzz(world, plan, 200, (value) =>
      lifecycleCall(world, 'createAgencyUnit', 'CreateAgencyUnitInput', 'agency { id name acronym kind timeZone parent { id } }', value, (data, _context, input) => {
        const agency = data.agency;
        expectThat(agency.kind === 'UNIT', 'a UNIT');
        expectThat(agency.parent?.id === input.parentId && agency.id.startsWith(`${input.parentId}.unit-`), `id ${agency.id} under ${input.parentId}`);
        expectThat(/^[a-z0-9-]+$/.test(agency.id.slice(input.parentId.length + '.unit-'.length)), `slug of ${agency.id}`);
        expectThat(agency.name === input.name.trim(), 'the name as sent, trimmed');
        expectThat(!world.book.createdUnitIds.has(agency.id), `${agency.id} created twice`);
        world.book.createdUnitIds.add(agency.id);
      }),
    );
  });
}
