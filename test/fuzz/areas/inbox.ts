/** A node's inbox: the paged `Agency.assignedComplaints`. */
import * as fc from 'fast-check';
import { authorization, authPlan, type BuildContext, cursor, field, hostileInt, hostileString, materialize, nodeId, wrongType } from '../arbitraries';
import { check, expectThat, send, type Sent, UUID } from '../oracle';
import { fuzz } from '../property';
import { type FuzzWorld, NATIONAL_ID, PROVINCE, REGENCY, STATUSES } from '../world';

/** A node's inbox: paging and filters over its assigned complaints. */
export function assignedComplaints(world: FuzzWorld): void {
  it('Agency.assignedComplaints(first, after, status, overdue)', async () => {
    const plan = fc.record({
      id: fc.oneof({ weight: 6, arbitrary: nodeId() }, { weight: 1, arbitrary: fc.oneof(hostileString, wrongType) }),
      first: field(fc.integer({ min: 0, max: 100 }), { valid: 5, hostile: 1, wrong: 1, missing: 2 }),
      firstEdge: hostileInt,
      useEdge: fc.boolean(),
      after: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: cursor(() => world.book.complaintCursors) }),
      status: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('submitted', 'OPEN', ''), wrongType) }),
      overdue: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('true', 'yes', 1, 0)) }),
      auth: authPlan(
        [
          ['NATIONAL_ADMIN', NATIONAL_ID],
          ['AGENCY_ADMIN', REGENCY],
          ['LIAISON_OFFICER', REGENCY],
          ['INSPECTOR', REGENCY],
          ['AGENCY_ADMIN', PROVINCE],
          ['DASHBOARD', NATIONAL_ID],
        ],
        [],
      ),
    });
    await fuzz(world, plan, 250, async (value) => {
      const context: BuildContext = { world };
      const variables = materialize(
        { id: value.id, first: value.useEdge ? value.firstEdge : value.first, after: value.after, status: value.status, overdue: value.overdue },
        context,
      ) as Record<string, unknown>;
      const sent: Sent = {
        operation: 'agency',
        query: `query($id: ID!, $first: Int, $after: String, $status: ComplaintStatus, $overdue: Boolean) {
          agency(id: $id) { id assignedComplaints(first: $first, after: $after, status: $status, overdue: $overdue) {
            totalCount edges { cursor node { id status overdue } } pageInfo { hasNextPage endCursor } } } }`,
        variables,
        authorization: await authorization(value.auth, context),
      };
      const answer = await send(world, sent);
      check(
        world,
        sent,
        answer,
        'agency',
        (node) => {
        if (node === null) return;
        const page = node.assignedComplaints;
        expectThat(page, 'a connection');
        const first = (variables.first ?? 20) as number;
        expectThat(page.edges.length <= first, `${page.edges.length} edges for first: ${first}`);
        expectThat(Number.isInteger(page.totalCount) && page.totalCount >= page.edges.length - 0, 'totalCount is a count');
        for (const edge of page.edges) {
          expectThat(UUID.test(edge.node.id), 'complaint ids');
          if (variables.status) expectThat(edge.node.status === variables.status, `status filter: ${edge.node.status}`);
          if (typeof variables.overdue === 'boolean') expectThat(edge.node.overdue === variables.overdue, 'overdue filter');
        }
        },
        // A refused list comes with its agency (the list itself is null): partial data.
        true,
      );
      const endCursor = answer.body?.data?.agency?.assignedComplaints?.pageInfo?.endCursor;
      if (endCursor && world.book.complaintCursors.length < 50) world.book.complaintCursors.push(endCursor);
    });
  });
}
