import { hashReporterToken, newReporterToken } from '@lapor-hub/complaints/src/domain/reporter-secrets';
import { unitSlug } from '@lapor-hub/agencies/src/domain/units';
import {
  CATEGORY_NATIONAL_BODY,
  CATEGORY_UNIT,
  CATEGORY_WEIGHTS,
  complaintText,
  FastCalendar,
  INSPECTORATE_SLUG,
  loadPlaces,
  MS_PER_DAY,
  Random,
  REJECTION_REASONS,
  trackingId,
  uuid,
  Weighted,
  type Place,
} from '../nation';
import type { AgencyNode } from './directory';

/**
 * The simulated nation: each complaint's life story, drawn stage by stage (addressee, text,
 * holder, timeline, deadlines, escalation, particulars), and the escalations that fit it.
 * Every draw comes from one seeded `Random` in a fixed order, so a seed gives the same nation
 * (up to `now`): reordering the draws changes the data set.
 */

const HOUR = 3_600_000;
const DAY = MS_PER_DAY;
/** How far back complaints were submitted. */
export const WINDOW_DAYS = 730;

const STATUS_SHARES = Weighted.of({
  CLOSED_REPORTER: 22,
  CLOSED_SYSTEM: 33,
  REJECTED: 15,
  FORWARDED: 12,
  FOLLOWED_UP: 10,
  SUBMITTED: 5,
  VERIFIED: 3,
});
const CHANNELS = Weighted.of({ WEB: 34, MOBILE: 30, SMS: 15, SOCIAL_MEDIA: 13, LETTER: 4, WALK_IN: 4 });
const TYPES = Weighted.of({ COMPLAINT: 76, ASPIRATION: 19, INFORMATION_REQUEST: 5 });
const ADDRESSEES = Weighted.of({ REGENCY_OR_CITY: 62, PROVINCE: 14, MINISTRY: 15, NATIONAL: 4, OTHER_NATIONAL_BODY: 5 });
const ESCALATION_REASONS = Weighted.of({
  SLA_BREACH: 30,
  WRONG_AGENCY: 25,
  NEEDS_COORDINATION: 15,
  HIGHER_AUTHORITY: 12,
  REPORTER_DISPUTE: 10,
  SUPERVISORY: 8,
});

/** A drawn status: CLOSED split by who closed it. */
type DrawnStatus = 'CLOSED_REPORTER' | 'CLOSED_SYSTEM' | 'REJECTED' | 'FORWARDED' | 'FOLLOWED_UP' | 'SUBMITTED' | 'VERIFIED';

/** One `complaints.complaint` row; instants in epoch milliseconds. */
export interface ComplaintRecord {
  id: string;
  trackingId: string;
  type: string;
  title: string;
  body: string;
  status: string;
  channel: string;
  anonymous: boolean;
  confidential: boolean;
  regionCode: string | null;
  categoryId: string;
  addressedAgencyId: string;
  assignedAgencyId: string | null;
  reporterTokenHash: string;
  submittedAt: number;
  updatedAt: number;
  version: number;
  verifyDueAt: number;
  followUpDueAt: number | null;
  closesAt: number | null;
  currentDueAt: number | null;
  rejectionReason: string | null;
  closedBy: string | null;
  disputeCount: number;
  supervisory: boolean;
  forwardedAt: number | null;
  followedUpAt: number | null;
  followUpWorkingDays: number | null;
  closedAt: number | null;
  holder: AgencyNode;
}

/** One `escalation.escalation` row. */
export interface EscalationRecord {
  id: string;
  complaintId: string;
  fromAgencyId: string;
  to: AgencyNode;
  reason: string;
  status: string;
  note: string;
  responseNote: string | null;
  createdBy: string | null;
  createdByRole: string | null;
  createdAt: number;
  respondDueAt: number;
  respondedAt: number | null;
  respondedBy: string | null;
  respondedByRole: string | null;
  breachedDueAt: number | null;
  reassignment: string | null;
  version: number;
  supervisory: boolean;
}

/** One `complaints.applied_event` row: the complaints subgraph applied an accepted escalation. */
export interface AppliedEventRecord {
  eventId: string;
  escalationId: string;
  complaintId: string;
  outcome: string;
  appliedAt: number;
}

/** The timeline of a complaint up to now, drawn backwards from the step it waits in. */
interface Story {
  submittedAt: number;
  updatedAt: number;
  version: number;
  forwardedAt: number | null;
  followedUpAt: number | null;
  followUpDueAt: number | null;
  closesAt: number | null;
  closedAt: number | null;
  closedBy: string | null;
  rejectionReason: string | null;
  disputes: number;
}

const UNFORWARDED = { forwardedAt: null, followedUpAt: null, followUpDueAt: null, closesAt: null, closedAt: null, closedBy: null, rejectionReason: null, disputes: 0 };

/** Everything needed to draw complaints: the tree, weights, places, the calendar and "now". */
export class World {
  readonly escalations: EscalationRecord[] = [];
  readonly appliedEvents: AppliedEventRecord[] = [];
  private readonly trackingIds = new Set<string>();
  private readonly national: AgencyNode;
  private readonly regencies: Weighted<AgencyNode>;
  private readonly provinces: Weighted<AgencyNode>;
  private readonly ministries: AgencyNode[];
  private readonly otherNationalBodies: AgencyNode[];
  private readonly categories: Weighted<string>;
  private readonly places: Map<string, Place[]>;
  private readonly regencyList: AgencyNode[];
  private readonly oldest: number;

  constructor(
    private readonly nodes: Map<string, AgencyNode>,
    private readonly calendar: FastCalendar,
    private readonly random: Random,
    private readonly now: number,
  ) {
    this.oldest = now - WINDOW_DAYS * DAY;
    const all = [...nodes.values()];
    this.national = all.find((node) => node.kind === 'NATIONAL')!;
    // Regencies and cities by a Zipf-like weight over a seeded shuffle (a few busy cities, a long
    // tail of quiet regencies); cities a little busier. Provinces weigh what their regencies weigh.
    this.regencyList = all.filter((node) => node.kind === 'REGENCY' || node.kind === 'CITY').sort((a, b) => a.id.localeCompare(b.id));
    const order = this.regencyList.map((node) => ({ node, key: random.next() })).sort((a, b) => a.key - b.key);
    const weight = new Map(order.map(({ node }, rank) => [node.id, (node.kind === 'CITY' ? 1.3 : 1) / Math.pow(rank + 1, 0.8)]));
    this.regencies = new Weighted(order.map(({ node }) => node), order.map(({ node }) => weight.get(node.id)!));
    const provinceList = all.filter((node) => node.kind === 'PROVINCE').sort((a, b) => a.id.localeCompare(b.id));
    this.provinces = new Weighted(
      provinceList,
      provinceList.map((province) => 0.02 + province.children.reduce((sum, child) => sum + (weight.get(child.id) ?? 0), 0)),
    );
    this.ministries = all.filter((node) => node.kind === 'MINISTRY').sort((a, b) => a.id.localeCompare(b.id));
    this.otherNationalBodies = all
      .filter((node) => ['INSTITUTION', 'STATE_ENTERPRISE', 'UNIVERSITY', 'OVERSEAS_MISSION'].includes(node.kind))
      .sort((a, b) => a.id.localeCompare(b.id));
    this.categories = Weighted.of(CATEGORY_WEIGHTS);
    this.places = loadPlaces();
  }

  /** One complaint (and its escalation, if any, into `escalations`). */
  complaint(): ComplaintRecord {
    const r = this.random;
    const id = uuid(r);
    const category = this.categories.pick(r);
    const status = STATUS_SHARES.pick(r) as DrawnStatus;
    const { addressed, regionCode } = this.addressee(category);
    const { title, body } = complaintText(r, category, this.placeText(regionCode && regionCode.length === 5 ? regionCode : null, addressed));
    const forwarded = status === 'FORWARDED' || status === 'FOLLOWED_UP' || status === 'CLOSED_REPORTER' || status === 'CLOSED_SYSTEM';
    const { holder, supervisory } = forwarded ? this.holderOf(addressed, category) : { holder: addressed, supervisory: false };
    const story = this.story(status, holder.timeZone);

    // The deadlines as the hub computes them.
    const verifyDueAt = this.calendar.endOfNthWorkingDayAfter(story.submittedAt, 3, addressed.timeZone);
    const dbStatus = status === 'CLOSED_REPORTER' || status === 'CLOSED_SYSTEM' ? 'CLOSED' : status;
    const currentDueAt = dbStatus === 'SUBMITTED' || dbStatus === 'VERIFIED' ? verifyDueAt : dbStatus === 'FORWARDED' ? story.followUpDueAt : null;
    const followUpWorkingDays =
      story.followedUpAt !== null && story.forwardedAt !== null ? this.calendar.workingDaysBetween(story.forwardedAt, story.followedUpAt, holder.timeZone) : null;

    let version = story.version;
    if (story.forwardedAt !== null && r.chance(0.03)) {
      if (this.escalate(id, holder, supervisory, dbStatus, story.forwardedAt, story.followUpDueAt!, story.followedUpAt, story.closedAt)) version += 1;
    }

    // The particulars, drawn last (in this order).
    const uniqueTrackingId = this.uniqueTrackingId();
    const type = TYPES.pick(r);
    const channel = CHANNELS.pick(r);
    const anonymous = r.chance(0.05);
    const confidential = r.chance(0.08);
    return {
      id,
      trackingId: uniqueTrackingId,
      type,
      title,
      body,
      status: dbStatus,
      channel,
      anonymous,
      confidential,
      regionCode,
      categoryId: category,
      addressedAgencyId: addressed.id,
      assignedAgencyId: forwarded ? holder.id : null,
      reporterTokenHash: hashReporterToken(newReporterToken()),
      submittedAt: story.submittedAt,
      updatedAt: story.updatedAt,
      version,
      verifyDueAt,
      followUpDueAt: story.followUpDueAt,
      closesAt: story.closesAt,
      currentDueAt,
      rejectionReason: story.rejectionReason,
      closedBy: story.closedBy,
      disputeCount: story.disputes,
      supervisory,
      forwardedAt: story.forwardedAt,
      followedUpAt: story.followedUpAt,
      followUpWorkingDays,
      closedAt: story.closedAt,
      holder,
    };
  }

  /** Whom the reporter addressed, and the region the complaint is about. */
  private addressee(category: string): { addressed: AgencyNode; regionCode: string | null } {
    const r = this.random;
    switch (ADDRESSEES.pick(r)) {
      case 'REGENCY_OR_CITY': {
        const addressed = this.regencies.pick(r);
        return { addressed, regionCode: addressed.regionCode };
      }
      case 'PROVINCE': {
        const addressed = this.provinces.pick(r);
        return { addressed, regionCode: r.chance(0.5) && addressed.children.length > 0 ? r.pick(addressed.children).regionCode : addressed.regionCode };
      }
      case 'MINISTRY': {
        const addressed = this.nationalBodyFor(category);
        return { addressed, regionCode: r.chance(0.6) ? this.regencies.pick(r).regionCode : null };
      }
      case 'NATIONAL':
        return { addressed: this.national, regionCode: r.chance(0.5) ? this.regencies.pick(r).regionCode : null };
      default: {
        const addressed = r.pick(this.otherNationalBodies);
        return { addressed, regionCode: r.chance(0.5) ? this.regencies.pick(r).regionCode : null };
      }
    }
  }

  /**
   * Who holds a forwarded complaint: the national admin forwards to a ministry or a regional
   * government; a regional government to itself, one of its units, or its Inspectorate.
   */
  private holderOf(addressed: AgencyNode, category: string): { holder: AgencyNode; supervisory: boolean } {
    const r = this.random;
    const receiving = addressed === this.national ? (r.chance(0.5) ? this.nationalBodyFor(category) : this.regencies.pick(r)) : addressed;
    return this.handlerIn(receiving, category);
  }

  /** The timeline for the step the complaint waits in, so that every status has its realistic age (and share overdue). */
  private story(status: DrawnStatus, zone: AgencyNode['timeZone']): Story {
    switch (status) {
      case 'SUBMITTED':
      case 'VERIFIED':
        return this.awaitingVerification(status === 'VERIFIED');
      case 'REJECTED':
        return this.rejected();
      case 'FORWARDED':
        return this.awaitingFollowUp(zone);
      case 'FOLLOWED_UP':
        return this.followedUp(zone);
      default:
        return this.closed(status === 'CLOSED_REPORTER', zone);
    }
  }

  /** Two thirds arrived in the last days; the rest is a backlog nobody verified in time. */
  private awaitingVerification(verified: boolean): Story {
    const r = this.random;
    const submittedAt = r.chance(0.65) ? this.now - r.between(0, 5) * DAY : this.now - r.between(5, WINDOW_DAYS) * DAY;
    if (!verified) return { ...UNFORWARDED, submittedAt, updatedAt: submittedAt, version: 1 };
    return { ...UNFORWARDED, submittedAt, updatedAt: Math.min(this.now, submittedAt + r.between(0.05, 3) * DAY), version: 2 };
  }

  private rejected(): Story {
    const r = this.random;
    const submittedAt = this.now - r.between(1, WINDOW_DAYS) * DAY;
    const updatedAt = Math.min(this.now, submittedAt + r.between(0.05, 6) * DAY);
    const rejectionReason = r.pick(REJECTION_REASONS);
    return { ...UNFORWARDED, submittedAt, updatedAt, rejectionReason, version: r.chance(0.3) ? 3 : 2 };
  }

  /** FORWARDED: 58% received in the last week (mostly within the deadline); the rest a backlog. */
  private awaitingFollowUp(zone: AgencyNode['timeZone']): Story {
    const r = this.random;
    const forwardedAt = r.chance(0.58) ? this.now - r.between(0, 7) * DAY : this.now - (7 + (WINDOW_DAYS - 40) * r.next() ** 2) * DAY;
    const story: Story = {
      ...UNFORWARDED,
      submittedAt: Math.max(this.oldest, forwardedAt - this.forwardDelay()),
      forwardedAt,
      followUpDueAt: this.calendar.endOfNthWorkingDayAfter(forwardedAt, 5, zone),
      updatedAt: forwardedAt,
      version: 3,
    };
    if (r.chance(0.06)) {
      // Followed up, then sent back by an unsatisfied reporter: a fresh 5 days from the reply.
      const first = forwardedAt + r.between(0.1, 5) * DAY;
      const dispute = first + r.between(0.5, 8) * DAY;
      if (dispute < this.now) {
        story.followedUpAt = first;
        story.followUpDueAt = this.calendar.endOfNthWorkingDayAfter(dispute, 5, zone);
        story.disputes = 1;
        story.version += 2;
        story.updatedAt = dispute;
      }
    }
    return story;
  }

  /** FOLLOWED_UP: still open, so followed up less than 10 working days ago (else the sweep closed it). */
  private followedUp(zone: AgencyNode['timeZone']): Story {
    const r = this.random;
    let followedUpAt = this.now - r.between(0, 13) * DAY;
    if (this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone) <= this.now) followedUpAt = this.now - r.between(0, 3) * DAY;
    let forwardedAt: number;
    let lastDisputeAt: number | null = null;
    let disputes = 0;
    if (r.chance(0.08)) {
      const dispute = followedUpAt - r.between(0.5, 8) * DAY;
      const first = dispute - r.between(0.5, 8) * DAY;
      forwardedAt = first - this.followUpDelay();
      lastDisputeAt = dispute;
      disputes = 1;
    } else {
      forwardedAt = followedUpAt - this.followUpDelay();
    }
    const submittedAt = Math.max(this.oldest, forwardedAt - this.forwardDelay());
    if (submittedAt >= forwardedAt) forwardedAt = submittedAt + HOUR;
    return {
      ...UNFORWARDED,
      submittedAt,
      forwardedAt,
      followedUpAt,
      followUpDueAt: this.calendar.endOfNthWorkingDayAfter(lastDisputeAt ?? forwardedAt, 5, zone),
      closesAt: this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone),
      updatedAt: followedUpAt,
      disputes,
      version: 4 + disputes * 2,
    };
  }

  /** CLOSED: by the reporter (satisfied) or by the sweep 10 working days after the follow-up; drawn again until it closed before now. */
  private closed(byReporter: boolean, zone: AgencyNode['timeZone']): Story {
    const r = this.random;
    for (;;) {
      const submittedAt = this.now - r.between(14, WINDOW_DAYS) * DAY;
      const forwardedAt = submittedAt + this.forwardDelay();
      let followedUpAt = forwardedAt + this.followUpDelay();
      let lastDisputeAt: number | null = null;
      let disputes = 0;
      if (r.chance(0.09)) {
        lastDisputeAt = followedUpAt + r.between(0.5, 8) * DAY;
        followedUpAt = lastDisputeAt + this.followUpDelay();
        disputes = r.chance(0.2) ? 2 : 1;
      }
      const closesAt = this.calendar.endOfNthWorkingDayAfter(followedUpAt, 10, zone);
      const closedAt = byReporter ? followedUpAt + Math.min(closesAt - followedUpAt - HOUR, r.between(0.05, 9) * DAY) : closesAt + r.between(1, 60) * 1000;
      if (closedAt >= this.now) continue;
      return {
        submittedAt,
        forwardedAt,
        followedUpAt,
        followUpDueAt: this.calendar.endOfNthWorkingDayAfter(lastDisputeAt ?? forwardedAt, 5, zone),
        closesAt,
        closedAt,
        closedBy: byReporter ? 'REPORTER' : 'SYSTEM',
        rejectionReason: null,
        disputes,
        updatedAt: closedAt,
        version: 5 + disputes * 2,
      };
    }
  }

  private nationalBodyFor(category: string): AgencyNode {
    const candidates = (CATEGORY_NATIONAL_BODY[category] ?? []).map((id) => this.nodes.get(id)).filter((node): node is AgencyNode => !!node);
    return candidates.length > 0 ? this.random.pick(candidates) : this.random.pick(this.ministries);
  }

  private placeText(regionCode: string | null, fallback: AgencyNode): string {
    const places = regionCode ? this.places.get(regionCode) : undefined;
    const region = regionCode ? this.nodes.get(`region-${regionCode}`) : undefined;
    if (!places || places.length === 0 || !region) return fallback.name.length < 60 ? fallback.name : 'wilayah kami';
    const place = this.random.pick(places);
    return `Desa ${place.village}, Kecamatan ${place.district}, ${region.name}`;
  }

  /** The node that handles a forwarded complaint inside `node`: itself, the unit for the category, or the Inspectorate. */
  private handlerIn(node: AgencyNode, category: string): { holder: AgencyNode; supervisory: boolean } {
    if (node.unitList.length === 0) return { holder: node, supervisory: false };
    if (category === 'SUPERVISION') {
      const inspectorate = node.units.get(INSPECTORATE_SLUG);
      if (inspectorate) return { holder: inspectorate, supervisory: true };
    }
    if (this.random.chance(0.35)) return { holder: node, supervisory: false };
    const unitName = CATEGORY_UNIT[category];
    const unit = unitName ? node.units.get(unitSlug(unitName)) : undefined;
    return { holder: unit ?? this.random.pick(node.unitList), supervisory: false };
  }

  /** Delay from submission to forwarding: mostly within the 3 working days, sometimes weeks. */
  private forwardDelay(): number {
    return this.random.chance(0.85) ? this.random.between(0.05, 3.5) * DAY : this.random.between(3.5, 25) * DAY;
  }

  /** Delay from reception to follow-up: 70% within the 5 working days. */
  private followUpDelay(): number {
    return this.random.chance(0.7) ? this.random.between(0.1, 6.5) * DAY : this.random.between(6.5, 35) * DAY;
  }

  private uniqueTrackingId(): string {
    for (;;) {
      const id = trackingId(this.random);
      if (!this.trackingIds.has(id)) {
        this.trackingIds.add(id);
        return id;
      }
    }
  }

  /** Where the sweep sends a breach: regency/city (or its unit) to the province, anything else to the national node. */
  private slaTarget(holder: AgencyNode): AgencyNode | null {
    const home = holder.kind === 'UNIT' ? holder.parent! : holder;
    if (!home.parent) return null;
    return home.parent.parent ? home.parent : this.national;
  }

  private otherNode(except: AgencyNode): AgencyNode {
    for (;;) {
      const node = this.random.chance(0.7) ? this.regencies.pick(this.random) : this.random.pick(this.ministries);
      if (node.id !== except.homeId) return node;
    }
  }

  /**
   * An escalation of a forwarded complaint that fits what happened to it: an accepted one that
   * moved it names the current holder as target (it received the complaint when it accepted);
   * an open, declined or coordination one leaves it with the holder. Returns whether it moved it.
   */
  private escalate(
    complaintId: string,
    holder: AgencyNode,
    supervisory: boolean,
    status: string,
    receivedAt: number,
    followUpDueAt: number,
    followedUpAt: number | null,
    closedAt: number | null,
  ): boolean {
    const r = this.random;
    const active = status === 'FORWARDED';
    let escalationStatus = active ? (r.chance(0.35) ? 'OPEN' : r.chance(0.7) ? 'ACCEPTED' : 'DECLINED') : r.chance(0.7) ? 'ACCEPTED' : 'DECLINED';
    let reason: string = ESCALATION_REASONS.pick(r);
    if (supervisory) {
      reason = 'SUPERVISORY';
      escalationStatus = 'ACCEPTED';
    }
    const home = holder.kind === 'UNIT' ? holder.parent! : holder;
    let from = holder;
    let to: AgencyNode | null = null;
    let createdAt: number;
    let respondedAt: number | null = null;
    let breachedDueAt: number | null = null;
    let moved = false;

    if (escalationStatus === 'ACCEPTED' && reason !== 'NEEDS_COORDINATION') {
      // The holder accepted it from a previous holder: received it at `receivedAt`.
      to = holder;
      if (reason === 'SUPERVISORY') {
        if (!supervisory || holder.kind !== 'UNIT') reason = 'WRONG_AGENCY';
        else from = holder.parent!;
      }
      if (reason === 'SLA_BREACH' || reason === 'HIGHER_AUTHORITY') {
        if (home.kind === 'PROVINCE' && home.children.length > 0) from = r.pick(home.children);
        else if (home.kind === 'NATIONAL') from = r.pick(this.ministries);
        else reason = 'WRONG_AGENCY';
      }
      if (reason === 'WRONG_AGENCY' || reason === 'REPORTER_DISPUTE') from = this.otherNode(holder);
      createdAt = receivedAt - r.between(0.05, 2.5) * DAY;
      if (reason === 'SLA_BREACH') breachedDueAt = createdAt - r.between(1, 60) * 1000;
      respondedAt = receivedAt;
      moved = true;
    } else {
      // It stays with the holder (open, declined, or a coordination request).
      const end = Math.min(this.now, followedUpAt ?? closedAt ?? this.now);
      if (reason === 'SLA_BREACH') {
        to = this.slaTarget(holder);
        if (to && followUpDueAt < end - 2 * HOUR) {
          breachedDueAt = followUpDueAt;
        } else {
          to = null;
        }
      } else if (reason === 'HIGHER_AUTHORITY') {
        to = home.parent;
      } else if (reason === 'SUPERVISORY') {
        to = home.units.get(INSPECTORATE_SLUG) ?? null;
        if (escalationStatus === 'ACCEPTED') to = null;
      } else {
        to = this.otherNode(holder);
      }
      if (!to || to.id === holder.id || to.id === home.id) {
        reason = 'NEEDS_COORDINATION';
        to = this.otherNode(holder);
      }
      createdAt = breachedDueAt !== null ? breachedDueAt + r.between(1, 60) * 1000 : receivedAt + r.next() * Math.max(HOUR, end - receivedAt);
      if (escalationStatus !== 'OPEN') respondedAt = Math.min(this.now, createdAt + r.between(0.05, 3) * DAY);
    }
    const escalationId = uuid(r);
    const sweep = reason === 'SLA_BREACH';
    const target = to!;
    const responderRole = reason === 'SUPERVISORY' ? 'INSPECTOR' : r.chance(0.5) ? 'AGENCY_ADMIN' : 'LIAISON_OFFICER';
    const createdBy = sweep ? null : `officer-${r.int(100_000)}`;
    const createdByRole = sweep ? null : r.chance(0.6) ? 'LIAISON_OFFICER' : 'AGENCY_ADMIN';
    const respondDueAt = this.calendar.endOfNthWorkingDayAfter(createdAt, 3, target.timeZone);
    const respondedBy = respondedAt === null ? null : `officer-${r.int(100_000)}`;
    this.escalations.push({
      id: escalationId,
      complaintId,
      fromAgencyId: from.id,
      to: target,
      reason,
      status: escalationStatus,
      note: sweep ? `Follow-up deadline ${new Date(breachedDueAt!).toISOString()} passed without a follow-up` : 'Mohon ditindaklanjuti sesuai kewenangan.',
      responseNote: respondedAt === null ? null : escalationStatus === 'ACCEPTED' ? 'Diterima, akan ditindaklanjuti.' : 'Bukan kewenangan kami.',
      createdBy,
      createdByRole,
      createdAt,
      respondDueAt,
      respondedAt,
      respondedBy,
      respondedByRole: respondedAt === null ? null : responderRole,
      breachedDueAt,
      reassignment: moved ? 'APPLIED' : null,
      version: respondedAt === null ? 1 : 2,
      // As the service records it: escalated from a supervisory complaint, or to the Inspectorate.
      supervisory: supervisory || reason === 'SUPERVISORY',
    });
    if (moved) this.appliedEvents.push({ eventId: uuid(r), escalationId, complaintId, outcome: 'APPLIED', appliedAt: respondedAt! + 1000 });
    return moved;
  }
}
