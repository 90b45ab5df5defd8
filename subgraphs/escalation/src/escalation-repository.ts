import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@lapor-hub/lib';
import { Escalation } from './entities/escalation';

/** Queries of escalations; each method is at most one SQL statement, rows oldest first. */
export class EscalationRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids that are not UUIDs cannot exist, so they are dropped rather than sent to a uuid column. */
  async findByIds(ids: readonly string[]): Promise<Escalation[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.em.find(Escalation, { id: { $in: valid } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Every escalation of each complaint, oldest first; complaints without any are absent from the map. */
  async findByComplaintIds(complaintIds: readonly string[]): Promise<Map<string, Escalation[]>> {
    const rows = await this.em.find(
      Escalation,
      { complaintId: { $in: complaintIds.filter(isUuid) } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const byComplaint = new Map<string, Escalation[]>();
    for (const escalation of rows) {
      const escalations = byComplaint.get(escalation.complaintId) ?? [];
      escalations.push(escalation);
      byComplaint.set(escalation.complaintId, escalations);
    }
    return byComplaint;
  }
}
