/**
 * The hub under fuzzing and what the test knows about it: the nodes it uses, the complaints and
 * escalations it made (the arbitraries pick real ids from them), and the tally of answers.
 */
import { TestHub } from '../support/hub';

export { NATIONAL_ID } from '../support/hub';

export const REGENCY = 'region-52.06'; // Kabupaten Bima (WITA)
export const PROVINCE = 'region-52'; // Nusa Tenggara Barat
export const SIBLING = 'region-52.01';
export const MINISTRY = 'kemenkes';
export const OTHER_PROVINCE = 'region-51';

export const STATUSES = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'] as const;
export type Status = (typeof STATUSES)[number];

export interface TrackedComplaint {
  id: string;
  trackingId: string;
  reporterToken: string;
  version: number;
  status: Status;
  /** The node that holds it now: assigned, else addressed. */
  holder: string;
  confidential: boolean;
}

export interface TrackedEscalation {
  id: string;
  status: string;
  reason: string;
  toAgencyId: string;
}

/** What the accepted calls created (and the state the arbitraries pick real ids from). */
interface Book {
  baseline: { complaintIds: Set<string>; unitIds: Set<string>; escalations: number };
  complaints: Map<string, TrackedComplaint>;
  createdUnitIds: Set<string>;
  escalations: Map<string, TrackedEscalation>;
  /** Escalations the hub creates by itself: a declined WRONG_AGENCY goes on to the national admin. */
  successorEscalations: number;
  leaveDays: Set<string>;
  agencyCursors: string[];
  complaintCursors: string[];
  categories: string[];
}

/** Requests sent and how they were answered, for the summary. */
interface Stats {
  requests: number;
  byOperation: Map<string, { sent: number; ok: number; codes: Map<string, number> }>;
}

/**
 * One hub for the whole fuzz run: the properties run in order on the state the earlier ones left.
 * `hub` is set by `startWorld` (setup.ts, in `beforeAll`), so read it only inside a test.
 */
export class FuzzWorld {
  hub!: TestHub;
  readonly started = Date.now();
  /** The two units the setup creates under the regency (real ids for `nodeId`). */
  readonly units = { unit: '', inspectorate: '' };
  readonly book: Book = {
    baseline: { complaintIds: new Set(), unitIds: new Set(), escalations: 0 },
    complaints: new Map(),
    createdUnitIds: new Set(),
    escalations: new Map(),
    successorEscalations: 0,
    leaveDays: new Set(),
    agencyCursors: [],
    complaintCursors: [],
    categories: [],
  };
  readonly stats: Stats = { requests: 0, byOperation: new Map() };
  /** With FUZZ_REPORT_ALL=1: the shortest failing request of each kind, listed at the end. */
  readonly findings = new Map<string, string>();

  /** Complaints picked by the status a call needs (the caller's mistake is chosen elsewhere). */
  complaintsIn(statuses: readonly Status[]): TrackedComplaint[] {
    return [...this.book.complaints.values()].filter((complaint) => statuses.includes(complaint.status));
  }

  /** A setup call through the gateway: it must succeed. */
  async api(query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
    const { data, errors } = await this.hub.query(query, variables, token);
    if (errors) throw new Error(`setup: ${JSON.stringify(errors)}`);
    return data;
  }
}
