import type { Request, Response } from 'express';
import type { ApolloServer } from '@apollo/server';
import { HubError, logger, RequestUnauthenticatedError, type Viewer } from '@lapor-hub/lib';
import type { GatewayContext } from './subgraph-data-source';

/** One CSV cell: quoted when needed, and defused when a spreadsheet would run it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

type Execute = (query: string, variables: Record<string, unknown>, viewer: Viewer) => Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }>;

const PAGE = 100;

const INBOX_PAGE = `query($id: ID!, $relation: Boolean!, $status: ComplaintStatus, $overdue: Boolean, $after: String) {
  agency(id: $id) {
    assigned: assignedComplaints(status: $status, overdue: $overdue, first: ${PAGE}, after: $after) @include(if: $relation) { ...page }
    addressed: addressedComplaints(status: $status, overdue: $overdue, first: ${PAGE}, after: $after) @skip(if: $relation) { ...page }
  }
}
fragment page on ComplaintConnection {
  pageInfo { hasNextPage endCursor }
  edges { node { trackingId status type channel title submittedAt verifyDueAt followUpDueAt closesAt overdue closedBy disputeCount
    anonymous confidential addressedAgency { id name } assignedAgency { id name } reporter { name } } }
}`;

const COMPLAINT_COLUMNS = [
  'trackingId', 'status', 'type', 'channel', 'title', 'submittedAt', 'verifyDueAt', 'followUpDueAt', 'closesAt', 'overdue',
  'closedBy', 'disputeCount', 'anonymous', 'confidential', 'addressedAgencyId', 'addressedAgency', 'assignedAgencyId', 'assignedAgency', 'reporterName',
];

class ExportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One query-string parameter: a repeated one (`?agencyId=a&agencyId=b`) is the client's mistake, not a joined value. */
function queryParameter(query: Request['query'], name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new ExportError(400, 'BAD_USER_INPUT', `${name} must be given once`);
}

const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

function failIfErrors(result: Awaited<ReturnType<Execute>>): void {
  const error = result.errors?.[0];
  if (!error) return;
  const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const status = STATUS_OF_CODE[code] ?? 502;
  throw new ExportError(status, code, error.message);
}

/**
 * Streams a node's complaints as CSV, page by page through the hub's own query plan, so the
 * caller's access rules apply to every row and memory stays flat however long the export.
 */
async function exportComplaints(execute: Execute, viewer: Viewer, query: Request['query'], res: Response): Promise<void> {
  const agencyId = queryParameter(query, 'agencyId');
  if (!agencyId) throw new ExportError(400, 'BAD_USER_INPUT', 'agencyId is required');
  const overdue = queryParameter(query, 'overdue');
  const variables = {
    id: agencyId,
    relation: queryParameter(query, 'relation') !== 'addressed',
    status: queryParameter(query, 'status') || null,
    overdue: overdue === undefined ? null : overdue === 'true',
    after: null as string | null,
  };
  let started = false;
  for (;;) {
    const result = await execute(INBOX_PAGE, variables, viewer);
    failIfErrors(result);
    if (!result.data?.agency) throw new ExportError(404, 'NOT_FOUND', `Agency ${agencyId} not found`);
    const page = result.data.agency.assigned ?? result.data.agency.addressed;
    if (!started) {
      res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', `attachment; filename="complaints-${agencyId}.csv"`);
      res.write(csvLine(COMPLAINT_COLUMNS));
      started = true;
    }
    for (const { node } of page.edges) {
      const line = csvLine([
        node.trackingId, node.status, node.type, node.channel, node.title, node.submittedAt, node.verifyDueAt, node.followUpDueAt, node.closesAt,
        node.overdue, node.closedBy, node.disputeCount, node.anonymous, node.confidential, node.addressedAgency?.id, node.addressedAgency?.name,
        node.assignedAgency?.id, node.assignedAgency?.name, node.reporter?.name,
      ]);
      if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
    }
    if (!page.pageInfo.hasNextPage) break;
    variables.after = page.pageInfo.endCursor;
  }
  res.end();
}

const RANKINGS = `query($from: DateTime!, $to: DateTime!, $regionCode: String) { nationalDashboard(from: $from, to: $to, regionCode: $regionCode) {
  provinces { ...ranking } regenciesAndCities { ...ranking } ministries { ...ranking } } }
  fragment ranking on AgencyRanking { rank forwarded closed completionRate agency { id name kind } }`;

async function exportRankings(execute: Execute, viewer: Viewer, query: Request['query'], res: Response): Promise<void> {
  const result = await execute(RANKINGS, { from: queryParameter(query, 'from'), to: queryParameter(query, 'to'), regionCode: queryParameter(query, 'regionCode') }, viewer);
  failIfErrors(result);
  res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', 'attachment; filename="rankings.csv"');
  res.write(csvLine(['ranking', 'rank', 'agencyId', 'agency', 'kind', 'forwarded', 'closed', 'completionRate']));
  for (const [ranking, rows] of Object.entries(result.data.nationalDashboard as Record<string, any[]>)) {
    for (const row of rows) {
      res.write(csvLine([ranking, row.rank, row.agency?.id, row.agency?.name, row.agency?.kind, row.forwarded, row.closed, row.completionRate]));
    }
  }
  res.end();
}

/** A refusal of the request as a whole (a bad token, the directory down), with the HTTP status it carries. */
function requestRefusal(error: unknown): ExportError | null {
  const status = error instanceof HubError ? (error.extensions.http as { status?: number } | undefined)?.status : undefined;
  return status ? new ExportError(status, String((error as HubError).extensions.code), (error as HubError).message) : null;
}

/** `GET /export/complaints.csv?agencyId=…` and `GET /export/rankings.csv?from=…&to=…[&regionCode=…]`, with a bearer token or a page's session. */
export function csvExportHandler(server: ApolloServer<GatewayContext>, viewerOf: (req: Request) => Promise<Viewer>, kind: 'complaints' | 'rankings') {
  const execute: Execute = async (query, variables, viewer) => {
    const response = await server.executeOperation({ query, variables }, { contextValue: { viewer } });
    if (response.body.kind !== 'single') throw new ExportError(500, 'INTERNAL_SERVER_ERROR', 'unexpected incremental response');
    return response.body.singleResult as Awaited<ReturnType<Execute>>;
  };
  return async (req: Request, res: Response) => {
    try {
      const viewer = await viewerOf(req);
      if (viewer.kind !== 'officer') throw new RequestUnauthenticatedError('Exports need an officer or dashboard token');
      await (kind === 'complaints' ? exportComplaints : exportRankings)(execute, viewer, req.query, res);
    } catch (error) {
      const known = error instanceof ExportError ? error : requestRefusal(error);
      if (!known) logger.error({ err: error }, 'export failed');
      if (res.headersSent) {
        // Mid-stream: end abruptly so the client sees a broken download, never a silently short file.
        res.destroy();
        return;
      }
      res.status(known?.status ?? 500).json({ errors: [{ message: known?.message ?? 'Internal server error', extensions: { code: known?.code ?? 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
}
