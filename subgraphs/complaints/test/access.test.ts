import type { Viewer } from '@lapor-hub/lib';
import {
  authorizeCalendarEdit,
  authorizeFollowUp,
  authorizeForward,
  authorizeHubService,
  authorizeNationalDashboard,
  authorizeScreening,
  authorizeStats,
  canReadComplaint,
  canReadReporter,
  listScope,
  PUBLIC_LISTING,
  searchScope,
  type ComplaintNodes,
} from '../src/domain/access';
import { NATIONAL, OTHER_REGENCY, PROVINCE, REGENCY, UNIT, officer } from './fixtures';

const PUBLIC: Viewer = { kind: 'public' };
const ESCALATION_SERVICE: Viewer = { kind: 'service', name: 'escalation' };

const ordinary = { confidential: false, supervisory: false, anonymous: false };
const confidential = { ...ordinary, confidential: true };
const supervisory = { ...ordinary, supervisory: true };
const anonymous = { ...ordinary, anonymous: true };

/** Addressed to the regency, assigned to its unit. */
const atUnit: ComplaintNodes = { addressed: REGENCY, assigned: UNIT };
/** Addressed to the regency, not yet forwarded. */
const addressedOnly: ComplaintNodes = { addressed: REGENCY, assigned: null };

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code ?? 'THROWN';
  }
};

describe('canReadComplaint', () => {
  it('lets the public read what is neither confidential nor supervisory, and the reporter and hub services everything', () => {
    expect(canReadComplaint(PUBLIC, ordinary, atUnit, false)).toBe(true);
    expect(canReadComplaint(PUBLIC, confidential, atUnit, false)).toBe(false);
    expect(canReadComplaint(PUBLIC, confidential, atUnit, true)).toBe(true);
    // Supervisory is never public, whatever the confidential flag (issue 12, item 2).
    expect(canReadComplaint(PUBLIC, supervisory, atUnit, false)).toBe(false);
    expect(canReadComplaint(PUBLIC, supervisory, atUnit, true)).toBe(true);
    expect(canReadComplaint(ESCALATION_SERVICE, { ...confidential, supervisory: true }, atUnit, false)).toBe(true);
  });

  it('lets officers read what their node or its units hold, and parents monitor their children', () => {
    expect(canReadComplaint(officer('LIAISON_OFFICER', REGENCY.id), confidential, atUnit, false)).toBe(true);
    expect(canReadComplaint(officer('LIAISON_OFFICER', UNIT.id), confidential, atUnit, false)).toBe(true);
    expect(canReadComplaint(officer('LIAISON_OFFICER', PROVINCE.id), confidential, atUnit, false)).toBe(true);
    expect(canReadComplaint(officer('LIAISON_OFFICER', OTHER_REGENCY.id), confidential, atUnit, false)).toBe(false);
    expect(canReadComplaint(officer('NATIONAL_ADMIN', NATIONAL.id), { ...confidential, supervisory: true }, atUnit, false)).toBe(true);
    expect(canReadComplaint(officer('DASHBOARD', REGENCY.id), confidential, atUnit, false)).toBe(false);
  });

  it('lets every officer read a public complaint as the public does (issue 12, item 5: they were refused it)', () => {
    for (const role of ['DASHBOARD', 'INSPECTOR', 'LIAISON_OFFICER', 'AGENCY_SYSTEM'] as const) {
      expect(canReadComplaint(officer(role, OTHER_REGENCY.id), ordinary, atUnit, false)).toBe(true);
      expect(canReadComplaint(officer(role, OTHER_REGENCY.id), confidential, atUnit, false)).toBe(false);
    }
  });

  it('lets only the admin of the addressed node read what is addressed to it and not yet forwarded', () => {
    expect(canReadComplaint(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly, false)).toBe(true);
    expect(canReadComplaint(officer('LIAISON_OFFICER', REGENCY.id), confidential, addressedOnly, false)).toBe(false);
    expect(canReadComplaint(officer('LIAISON_OFFICER', PROVINCE.id), ordinary, addressedOnly, false)).toBe(true);
  });

  it('keeps supervisory complaints to the Inspectorate, and the Inspectorate to them', () => {
    expect(canReadComplaint(officer('INSPECTOR', REGENCY.id), supervisory, atUnit, false)).toBe(true);
    expect(canReadComplaint(officer('INSPECTOR', REGENCY.id), confidential, atUnit, false)).toBe(false);
    expect(canReadComplaint(officer('LIAISON_OFFICER', REGENCY.id), supervisory, atUnit, false)).toBe(false);
    expect(canReadComplaint(officer('AGENCY_ADMIN', REGENCY.id), supervisory, atUnit, false)).toBe(false);
  });
});

describe('canReadReporter', () => {
  it('shows the reporter to themselves, never for an anonymous complaint, and never to a hub service or the public', () => {
    expect(canReadReporter(PUBLIC, anonymous, atUnit, true)).toBe(true);
    expect(canReadReporter(officer('NATIONAL_ADMIN', NATIONAL.id), anonymous, atUnit, false)).toBe(false);
    expect(canReadReporter(ESCALATION_SERVICE, ordinary, atUnit, false)).toBe(false);
    expect(canReadReporter(PUBLIC, ordinary, atUnit, false)).toBe(false);
  });

  it('shows it to the national admin and the officers who act on the complaint, not to parents who monitor it', () => {
    expect(canReadReporter(officer('NATIONAL_ADMIN', NATIONAL.id), ordinary, atUnit, false)).toBe(true);
    expect(canReadReporter(officer('LIAISON_OFFICER', REGENCY.id), ordinary, atUnit, false)).toBe(true);
    expect(canReadReporter(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly, false)).toBe(true);
    expect(canReadReporter(officer('LIAISON_OFFICER', REGENCY.id), ordinary, addressedOnly, false)).toBe(false);
    expect(canReadReporter(officer('AGENCY_ADMIN', PROVINCE.id), ordinary, atUnit, false)).toBe(false);
    expect(canReadReporter(officer('DASHBOARD', REGENCY.id), ordinary, atUnit, false)).toBe(false);
    expect(canReadReporter(officer('LIAISON_OFFICER', REGENCY.id), supervisory, atUnit, false)).toBe(false);
    expect(canReadReporter(officer('INSPECTOR', REGENCY.id), supervisory, atUnit, false)).toBe(true);
  });
});

describe('listScope', () => {
  it('gives the public the complaints of any node that are neither confidential nor supervisory', () => {
    expect(listScope(PUBLIC, null, 'assigned')).toEqual({ publicOnly: true, supervisory: false });
  });

  it('gives officers their own and their children’s lists, the Inspectorate its supervisory ones', () => {
    expect(listScope(officer('NATIONAL_ADMIN', NATIONAL.id), REGENCY, 'addressed')).toEqual({ publicOnly: false, supervisory: null });
    expect(listScope(officer('LIAISON_OFFICER', REGENCY.id), UNIT, 'assigned')).toEqual({ publicOnly: false, supervisory: false });
    expect(listScope(officer('LIAISON_OFFICER', PROVINCE.id), REGENCY, 'addressed')).toEqual({ publicOnly: false, supervisory: false });
    expect(listScope(officer('AGENCY_ADMIN', REGENCY.id), REGENCY, 'addressed')).toEqual({ publicOnly: false, supervisory: false });
    expect(listScope(officer('INSPECTOR', REGENCY.id), REGENCY, 'assigned')).toEqual({ publicOnly: false, supervisory: true });
  });

  it('refuses hub services, dashboard clients, other nodes, and the addressed list to a node’s non-admins', () => {
    expect(codeOf(() => listScope(ESCALATION_SERVICE, REGENCY, 'assigned'))).toBe('FORBIDDEN');
    expect(codeOf(() => listScope(officer('DASHBOARD', REGENCY.id), REGENCY, 'assigned'))).toBe('FORBIDDEN');
    expect(codeOf(() => listScope(officer('AGENCY_ADMIN', OTHER_REGENCY.id), REGENCY, 'assigned'))).toBe('FORBIDDEN');
    expect(codeOf(() => listScope(officer('LIAISON_OFFICER', REGENCY.id), REGENCY, 'addressed'))).toBe('FORBIDDEN');
    expect(codeOf(() => listScope(officer('AGENCY_ADMIN', REGENCY.id), null, 'assigned'))).toBe('FORBIDDEN');
  });
});

describe('authorize*', () => {
  it('screening: the national admin, or the admin of the addressed or assigned node', () => {
    expect(authorizeScreening(officer('NATIONAL_ADMIN', NATIONAL.id), supervisory, addressedOnly).role).toBe('NATIONAL_ADMIN');
    expect(authorizeScreening(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly).agencyId).toBe(REGENCY.id);
    expect(authorizeScreening(officer('AGENCY_ADMIN', UNIT.id), ordinary, atUnit).agencyId).toBe(UNIT.id);
    expect(codeOf(() => authorizeScreening(officer('LIAISON_OFFICER', REGENCY.id), ordinary, addressedOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeScreening(officer('AGENCY_ADMIN', PROVINCE.id), ordinary, addressedOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeScreening(officer('AGENCY_ADMIN', REGENCY.id), supervisory, addressedOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeScreening(PUBLIC, ordinary, addressedOnly))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeScreening(ESCALATION_SERVICE, ordinary, addressedOnly))).toBe('FORBIDDEN');
  });

  it('forward: the national admin anywhere, a node admin only to its own node or units', () => {
    expect(codeOf(() => authorizeForward(officer('NATIONAL_ADMIN', NATIONAL.id), ordinary, addressedOnly, OTHER_REGENCY))).toBeNull();
    expect(codeOf(() => authorizeForward(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly, UNIT))).toBeNull();
    expect(codeOf(() => authorizeForward(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly, OTHER_REGENCY))).toBe('FORBIDDEN');
  });

  it('follow-up: the assigned node (or unit) through its admin, liaison, system or Inspectorate', () => {
    for (const role of ['AGENCY_ADMIN', 'LIAISON_OFFICER', 'AGENCY_SYSTEM'] as const) {
      expect(codeOf(() => authorizeFollowUp(officer(role, REGENCY.id), ordinary, atUnit))).toBeNull();
    }
    expect(codeOf(() => authorizeFollowUp(officer('INSPECTOR', REGENCY.id), supervisory, atUnit))).toBeNull();
    expect(codeOf(() => authorizeFollowUp(officer('INSPECTOR', REGENCY.id), ordinary, atUnit))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFollowUp(officer('DASHBOARD', REGENCY.id), ordinary, atUnit))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFollowUp(officer('AGENCY_ADMIN', REGENCY.id), ordinary, addressedOnly))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFollowUp(officer('AGENCY_ADMIN', PROVINCE.id), ordinary, atUnit))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeFollowUp(PUBLIC, ordinary, atUnit))).toBe('UNAUTHENTICATED');
  });

  it('hub-service operations: the named service only', () => {
    expect(authorizeHubService(ESCALATION_SERVICE, 'escalation')).toEqual(ESCALATION_SERVICE);
    expect(codeOf(() => authorizeHubService({ kind: 'service', name: 'agencies' }, 'escalation'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeHubService(officer('NATIONAL_ADMIN', NATIONAL.id), 'escalation'))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeHubService(PUBLIC, 'escalation'))).toBe('FORBIDDEN');
  });

  it('calendar edits: the national admin only', () => {
    expect(codeOf(() => authorizeCalendarEdit(officer('NATIONAL_ADMIN', NATIONAL.id)))).toBeNull();
    expect(codeOf(() => authorizeCalendarEdit(officer('AGENCY_ADMIN', NATIONAL.id)))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeCalendarEdit(PUBLIC))).toBe('UNAUTHENTICATED');
  });

  it('statistics: the national roles for any node, officers for their node and the nodes below', () => {
    expect(codeOf(() => authorizeStats(officer('DASHBOARD', NATIONAL.id), OTHER_REGENCY))).toBeNull();
    expect(codeOf(() => authorizeStats(officer('NATIONAL_ADMIN', NATIONAL.id), null))).toBeNull();
    expect(codeOf(() => authorizeStats(officer('LIAISON_OFFICER', REGENCY.id), UNIT))).toBeNull();
    expect(codeOf(() => authorizeStats(officer('AGENCY_ADMIN', PROVINCE.id), REGENCY))).toBeNull();
    expect(codeOf(() => authorizeStats(officer('AGENCY_ADMIN', REGENCY.id), PROVINCE))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeStats(officer('AGENCY_ADMIN', REGENCY.id), OTHER_REGENCY))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeStats(PUBLIC, REGENCY))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => authorizeStats(ESCALATION_SERVICE, REGENCY))).toBe('FORBIDDEN');
  });

  it('the national dashboard: the national admin and dashboard clients', () => {
    expect(codeOf(() => authorizeNationalDashboard(officer('NATIONAL_ADMIN', NATIONAL.id)))).toBeNull();
    expect(codeOf(() => authorizeNationalDashboard(officer('DASHBOARD', NATIONAL.id)))).toBeNull();
    expect(codeOf(() => authorizeNationalDashboard(officer('AGENCY_ADMIN', NATIONAL.id)))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeNationalDashboard(ESCALATION_SERVICE))).toBe('FORBIDDEN');
    expect(codeOf(() => authorizeNationalDashboard(PUBLIC))).toBe('UNAUTHENTICATED');
  });
});

describe('searchScope', () => {
  it('gives the public its listing, within a node when asked', () => {
    expect(searchScope(PUBLIC, null, null)).toEqual(PUBLIC_LISTING);
    expect(searchScope(PUBLIC, null, REGENCY.id)).toEqual({ ...PUBLIC_LISTING, heldWithin: REGENCY.id });
  });

  it('bounds an officer by their own node, their role deciding supervisory and not yet forwarded complaints', () => {
    expect(searchScope(officer('AGENCY_ADMIN', REGENCY.id), REGENCY, null)).toEqual({
      publicOnly: false, heldWithin: REGENCY.id, officerNode: REGENCY.id, supervisory: false, unforwardedFromAboveOnly: false,
    });
    expect(searchScope(officer('LIAISON_OFFICER', PROVINCE.id), REGENCY, REGENCY.id)).toMatchObject({ heldWithin: REGENCY.id, officerNode: PROVINCE.id, unforwardedFromAboveOnly: true });
    expect(searchScope(officer('INSPECTOR', REGENCY.id), REGENCY, null).supervisory).toBe(true);
    expect(searchScope(officer('NATIONAL_ADMIN', NATIONAL.id), null, null)).toMatchObject({ publicOnly: false, heldWithin: null, officerNode: null, supervisory: null });
  });

  it('refuses a node outside the officer’s subtree, the dashboard role and hub services', () => {
    expect(codeOf(() => searchScope(officer('AGENCY_ADMIN', REGENCY.id), OTHER_REGENCY, OTHER_REGENCY.id))).toBe('FORBIDDEN');
    expect(codeOf(() => searchScope(officer('AGENCY_ADMIN', REGENCY.id), PROVINCE, PROVINCE.id))).toBe('FORBIDDEN');
    expect(codeOf(() => searchScope(officer('AGENCY_ADMIN', REGENCY.id), null, 'unknown'))).toBe('FORBIDDEN');
    expect(codeOf(() => searchScope(officer('DASHBOARD', NATIONAL.id), NATIONAL, null))).toBe('FORBIDDEN');
    expect(codeOf(() => searchScope(ESCALATION_SERVICE, null, null))).toBe('FORBIDDEN');
  });
});
