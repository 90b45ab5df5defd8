import type { ServiceClient } from '@lapor-hub/lib';
import { WorkingCalendar } from '@lapor-hub/lib/working-calendar';
import type { EscalationAcceptedPayload } from './entities/outbox-event';

/** What the escalation service needs to know of a complaint it escalates. */
export interface ComplaintFacts {
  id: string;
  status: string;
  supervisory: boolean;
  /** The node that holds it: the assigned node, else the addressed one. */
  holderId: string;
}

export interface BreachedComplaint {
  complaintId: string;
  assignedAgencyId: string;
  followUpDueAt: string;
  /** The complaint is supervisory: its SLA_BREACH escalation is too. */
  supervisory: boolean;
}

export type AcceptanceOutcome = 'APPLIED' | 'ALREADY_APPLIED' | 'NOT_APPLIED_FINISHED';

// Cuti bersama change a few times a year; ten minutes of staleness is harmless for deadlines.
const CALENDAR_TTL_MS = 10 * 60_000;

/** The complaints subgraph as the escalation service uses it: signed as a hub service. */
export class ComplaintsClient {
  private calendar: { value: WorkingCalendar; expiresAt: number } | null = null;

  constructor(private readonly service: ServiceClient) {}

  async complaints(ids: readonly string[]): Promise<(ComplaintFacts | null)[]> {
    const data = await this.service.request<{
      _entities: ({ id: string; status: string; supervisory: boolean; assignedAgency: { id: string } | null; addressedAgency: { id: string } } | null)[];
    }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
         ... on Complaint { id status supervisory assignedAgency { id } addressedAgency { id } } } }`,
      { representations: ids.map((id) => ({ __typename: 'Complaint', id })) },
    );
    return data._entities.map((complaint) =>
      complaint
        ? { id: complaint.id, status: complaint.status, supervisory: complaint.supervisory, holderId: complaint.assignedAgency?.id ?? complaint.addressedAgency.id }
        : null,
    );
  }

  /** Every FORWARDED complaint whose follow-up deadline passed before `dueBefore`, page by page. */
  async *breached(dueBefore: Date): AsyncGenerator<BreachedComplaint[]> {
    let after: string | null = null;
    for (;;) {
      const data: { breachedComplaints: { items: BreachedComplaint[]; endCursor: string | null; hasNextPage: boolean } } =
        await this.service.request(
          `query($dueBefore: DateTime!, $after: String) { breachedComplaints(dueBefore: $dueBefore, first: 100, after: $after) {
             items { complaintId assignedAgencyId followUpDueAt supervisory } endCursor hasNextPage } }`,
          { dueBefore: dueBefore.toISOString(), after },
        );
      yield data.breachedComplaints.items;
      if (!data.breachedComplaints.hasNextPage) return;
      after = data.breachedComplaints.endCursor;
    }
  }

  async applyAcceptance(eventId: string, payload: EscalationAcceptedPayload): Promise<AcceptanceOutcome> {
    const data = await this.service.request<{ applyEscalationAcceptance: { outcome: AcceptanceOutcome } }>(
      `mutation($input: EscalationAcceptanceInput!) { applyEscalationAcceptance(input: $input) { outcome } }`,
      { input: { eventId, ...payload } },
    );
    return data.applyEscalationAcceptance.outcome;
  }

  /** The working-day calendar, with the cuti bersama days the complaints service keeps. */
  async workingCalendar(now: Date): Promise<WorkingCalendar> {
    if (this.calendar && this.calendar.expiresAt > Date.now()) return this.calendar.value;
    const year = now.getUTCFullYear();
    const data = await this.service.request<{ thisYear: { date: string }[]; nextYear: { date: string }[] }>(
      `query($year: Int!, $next: Int!) { thisYear: collectiveLeaveDays(year: $year) { date } nextYear: collectiveLeaveDays(year: $next) { date } }`,
      { year, next: year + 1 },
    );
    const value = new WorkingCalendar([...data.thisYear, ...data.nextYear].map((day) => day.date));
    this.calendar = { value, expiresAt: Date.now() + CALENDAR_TTL_MS };
    return value;
  }
}
