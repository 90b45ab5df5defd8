import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, ServiceUnavailableError, type NodeFacts } from '@lapor-hub/lib';
import type { ComplaintRepository } from '../complaint-repository';
import type { DirectoryClient } from '../directory-client';
import type { ContactSeal } from '../domain/contact-sealing';
import { addressedAgencyId, parseSubmission, submissionFingerprint, type SubmitComplaintInput } from '../domain/submission';
import { hashReporterToken, newTrackingId, reporterTokenFor } from '../domain/reporter-secrets';
import { Complaint } from '../entities/complaint';
import { ReporterContact } from '../entities/reporter-contact';
import { TimelineEntry } from '../entities/timeline-entry';
import { recordHolder } from '../domain/assignment';
import { currentDeadline, DEADLINE_WORKING_DAYS } from '../domain/lifecycle';
import { CalendarRepository } from '../calendar-repository';

export interface SubmissionResult {
  complaint: Complaint;
  reporterToken: string;
}

export interface SubmitDependencies {
  em: EntityManager;
  complaints: ComplaintRepository;
  directory: DirectoryClient;
  reporterTokenSecret: Uint8Array;
  contactSeal: ContactSeal;
}

// A tracking id collision (50 random bits) is rare enough that a few fresh draws always settle it.
const TRACKING_ID_ATTEMPTS = 5;

/**
 * Files a citizen's submission. Every complaint is accepted whatever its addressee; unknown
 * references are the caller's error. A retry with the same idempotency key and the same content
 * returns the first complaint (and its token); the same key with other content is a conflict.
 */
export async function submitComplaint(deps: SubmitDependencies, rawInput: unknown): Promise<SubmissionResult> {
  const input = parseSubmission(rawInput);
  const fingerprint = submissionFingerprint(input);
  if (input.idempotencyKey) {
    const earlier = await replayed(deps, input.idempotencyKey, fingerprint);
    if (earlier) return earlier;
  }

  const directory = await deps.directory.lookup({
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
  const [addressedNode] = await deps.directory.nodes([addressedTo]);
  if (!addressedNode) throw new ServiceUnavailableError('The agency directory does not know the addressed node yet; retry');
  for (let attempt = 1; ; attempt++) {
    try {
      return await insert(deps, input, fingerprint, addressedNode);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      // A concurrent retry with the same key won the race: answer with its complaint.
      if (input.idempotencyKey && /idempotency_key/.test(error.message)) {
        const earlier = await replayed(deps, input.idempotencyKey, fingerprint);
        if (earlier) return earlier;
      }
      if (attempt >= TRACKING_ID_ATTEMPTS) throw error;
    }
  }
}

async function insert(
  deps: SubmitDependencies,
  input: SubmitComplaintInput,
  fingerprint: string,
  addressedNode: NodeFacts,
): Promise<SubmissionResult> {
  const em = deps.em.fork();
  return em.transactional(async (tx) => {
    const complaint = new Complaint();
    const calendar = await new CalendarRepository(tx).load();
    const reporterToken = reporterTokenFor(complaint.id, deps.reporterTokenSecret);
    Object.assign(complaint, {
      trackingId: newTrackingId(),
      type: input.type,
      title: input.title,
      body: input.body,
      channel: input.channel,
      anonymous: input.anonymous,
      confidential: input.confidential,
      regionCode: input.regionCode,
      categoryId: input.categoryId,
      addressedAgencyId: addressedNode.id,
      reporterTokenHash: hashReporterToken(reporterToken),
      idempotencyKey: input.idempotencyKey,
      submissionFingerprint: input.idempotencyKey ? fingerprint : null,
    });
    complaint.verifyDueAt = calendar.endOfNthWorkingDayAfter(complaint.submittedAt, DEADLINE_WORKING_DAYS.verify, addressedNode.timeZone);
    recordHolder(complaint, addressedNode);
    complaint.currentDueAt = currentDeadline(complaint);
    // The complaint is flushed first: the other rows' foreign keys are plain columns, so the ORM
    // cannot order the inserts itself.
    await tx.persistAndFlush(complaint);
    const { reporter } = input;
    if (reporter && (reporter.name || reporter.email || reporter.phone)) {
      const details = { name: reporter.name ?? null, email: reporter.email ?? null, phone: reporter.phone ?? null };
      tx.persist(Object.assign(new ReporterContact(), { complaintId: complaint.id, sealed: deps.contactSeal.seal(complaint.id, details) }));
    }
    tx.persist(
      Object.assign(new TimelineEntry(), {
        complaintId: complaint.id,
        action: 'SUBMIT',
        toStatus: complaint.status,
        actorKind: 'PUBLIC',
        agencyId: addressedNode.id,
        note: `Submitted via ${input.channel}`,
        at: complaint.submittedAt,
      }),
    );
    await tx.flush();
    return { complaint, reporterToken };
  });
}

async function replayed(deps: SubmitDependencies, idempotencyKey: string, fingerprint: string): Promise<SubmissionResult | null> {
  const earlier = await deps.complaints.findByIdempotencyKey(idempotencyKey);
  if (!earlier) return null;
  if (earlier.submissionFingerprint !== fingerprint) {
    throw new ConflictError('idempotencyKey was already used for a different submission');
  }
  return { complaint: earlier, reporterToken: reporterTokenFor(earlier.id, deps.reporterTokenSecret) };
}
