import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, ServiceUnavailableError, type NodeFacts } from '@lapor-hub/lib';
import { areaCodesExist } from '../area-codes';
import { ComplaintRepository } from '../complaint-repository';
import type { ComplaintsContext } from '../context';
import { complaintEvent } from '../domain/hub-events';
import { hashReporterToken, newReporterToken, newTrackingId, openForReplay, sealForReplay } from '../domain/reporter-secrets';
import {
  addressedAgencyId,
  IDEMPOTENCY_WINDOW_MS,
  idempotencyScope,
  newComplaint,
  parseSubmission,
  submissionFingerprint,
  type SubmitComplaintInput,
} from '../domain/submission';
import type { Complaint } from '../entities/complaint';
import type { TimelineEntry } from '../entities/timeline-entry';
import { claimAttachments } from './attachments';

export interface SubmissionResult {
  complaint: Complaint;
  reporterToken: string;
}

// A tracking id collision (50 random bits) is rare enough that a few fresh draws always settle it.
const TRACKING_ID_ATTEMPTS = 5;

/**
 * Files a citizen's submission. Every complaint is accepted whatever its addressee; unknown
 * references are the caller's error. A retry by the same client with the same idempotency key and
 * the same content returns the first complaint (and its token) within the idempotency window; the
 * same key with other content, or after the window, is a conflict.
 */
export async function submitComplaint(context: ComplaintsContext, raw: unknown): Promise<SubmissionResult> {
  const input = parseSubmission(raw);
  const fingerprint = submissionFingerprint(input);
  const scope = idempotencyScope(context.viewer);
  const area = areaCodesExist(input);
  if (!area.district) throw new BadUserInputError(`input.districtCode ${input.districtCode} is not an official district code`, 'input.districtCode');
  if (!area.village) throw new BadUserInputError(`input.villageCode ${input.villageCode} is not an official village code`, 'input.villageCode');

  const directory = await context.directory.lookup({
    agencyId: input.addressedAgencyId,
    regionCode: input.regionCode,
    categoryId: input.categoryId,
  });
  if (input.addressedAgencyId && !directory.chosenAgency) {
    throw new BadUserInputError(`input.addressedAgencyId ${input.addressedAgencyId} is not a hub node`, 'input.addressedAgencyId');
  }
  if (input.regionCode && !directory.regionAgency) {
    throw new BadUserInputError(`input.regionCode ${input.regionCode} is not an official region code`, 'input.regionCode');
  }
  if (input.categoryId && !directory.category) {
    throw new BadUserInputError(`input.categoryId ${input.categoryId} is not a category`, 'input.categoryId');
  }

  const addressedTo = addressedAgencyId({
    chosenAgencyId: directory.chosenAgency?.id ?? null,
    regionAgencyId: directory.regionAgency?.id ?? null,
    nationalAgencyId: directory.nationalAgencyId,
  });
  const [addressedNode] = await context.directory.nodes([addressedTo]);
  if (!addressedNode) throw new ServiceUnavailableError('The agency directory does not know the addressed node yet; retry');
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await insert(context, input, scope, addressedNode);
      context.notifyReporters();
      context.hubEvents.kick();
      return result;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      // A retry (or a concurrent first submission) with the same key, found by the unique index
      // rather than by a read before every insert: answer with the first complaint.
      if (input.idempotencyKey && /idempotency_key/.test(error.message)) {
        const earlier = await replayed(context, scope, input.idempotencyKey, fingerprint);
        if (earlier) return earlier;
      }
      if (attempt >= TRACKING_ID_ATTEMPTS) throw error;
    }
  }
}

async function insert(context: ComplaintsContext, input: SubmitComplaintInput, scope: string, addressedNode: NodeFacts): Promise<SubmissionResult> {
  const id = randomUUID();
  const reporterToken = newReporterToken();
  const identity = { id, trackingId: newTrackingId(), reporterTokenHash: hashReporterToken(reporterToken) };
  const retry = input.idempotencyKey ? { idempotencyScope: scope, reporterTokenSealed: sealForReplay(reporterToken, input.idempotencyKey, id) } : null;
  const calendar = await context.calendar.load();
  const complaint = newComplaint(input, identity, addressedNode, calendar, new Date(), retry);
  const { reporter } = input;
  const contact =
    reporter && (reporter.name || reporter.email || reporter.phone)
      ? { complaintId: id, sealed: context.contactSeal.seal(id, { name: reporter.name ?? null, email: reporter.email ?? null, phone: reporter.phone ?? null }) }
      : null;
  const entry: TimelineEntry = {
    id: randomUUID(),
    complaintId: id,
    action: 'SUBMIT',
    fromStatus: null,
    toStatus: complaint.status,
    actorKind: 'PUBLIC',
    actorRole: null,
    actorAgencyId: null,
    agencyId: addressedNode.id,
    note: `Submitted via ${input.channel}`,
    at: complaint.submittedAt,
  };
  const file = async (em: EntityManager) => {
    await new ComplaintRepository(em).file(complaint, {
      entry,
      contact,
      // Anonymous or not: anonymity hides the reporter from agencies, not from the hub's own messages.
      receipt: Boolean(reporter?.email || reporter?.phone),
      events: [complaintEvent('COMPLAINT_SUBMITTED', complaint, complaint.submittedAt)],
    });
    await claimAttachments(em, input, { complaintId: id, followUpId: null }, complaint.submittedAt);
  };
  // Filing is one statement, atomic by itself; claiming uploads is a second, in one transaction with it.
  if (input.attachmentIds?.length) await context.em.fork().transactional(file);
  else await file(context.em);
  return { complaint, reporterToken };
}

async function replayed(context: ComplaintsContext, scope: string, idempotencyKey: string, fingerprint: string): Promise<SubmissionResult | null> {
  const earlier = await context.complaints.findByIdempotencyKey(scope, idempotencyKey);
  if (!earlier) return null;
  if (earlier.submissionFingerprint !== fingerprint) {
    throw new ConflictError('idempotencyKey was already used for a different submission');
  }
  const sealed = earlier.reporterTokenSealedUntil && earlier.reporterTokenSealedUntil > new Date() ? earlier.reporterTokenSealed : null;
  const reporterToken = sealed ? openForReplay(sealed, idempotencyKey, earlier.id) : null;
  if (!reporterToken) {
    throw new ConflictError(
      `idempotencyKey expired: its submission was filed more than ${IDEMPOTENCY_WINDOW_MS / 3_600_000} hours ago and its answer is no longer kept`,
    );
  }
  return { complaint: earlier, reporterToken };
}
