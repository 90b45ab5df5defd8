import { encodeCursor, pageArgs } from '@lapor-hub/lib';
import type { ComplaintsContext } from '../context';
import { authorizeHubService } from '../domain/access';
import type { QueryBreachedComplaintsArgs } from '../generated/resolvers-types';

/**
 * The FORWARDED complaints whose follow-up deadline is before `dueBefore`, earliest deadline first,
 * keyset-paged (one SQL statement per page): what the escalation service's sweep escalates as
 * SLA breaches. Hub services only.
 */
export async function breachedComplaints(context: ComplaintsContext, args: QueryBreachedComplaintsArgs) {
  authorizeHubService(context.viewer, 'escalation');
  const page = pageArgs(args);
  const rows = await context.complaints.breached(args.dueBefore, page);
  const items = rows.slice(0, page.first);
  const last = items.at(-1);
  return {
    items: items.map(({ sortKey: _sortKey, ...item }) => item),
    endCursor: last ? encodeCursor(last.sortKey) : null,
    hasNextPage: rows.length > page.first,
  };
}
