import type { Viewer } from '@lapor-hub/lib';
import {
  authorizeEscalation,
  authorizeEscalationList,
  authorizeResponse,
  canReadEscalation,
  supervisoryEscalationScope,
} from '../src/domain/access';
import { inspectorate, national, officer, otherRegency, outcome, province, regency } from './nodes';

const nationalAdmin = officer('NATIONAL_ADMIN', national.id);
const publicViewer: Viewer = { kind: 'public' };
const service: Viewer = { kind: 'service', name: 'complaints' };

describe('authorizeEscalation: who may escalate a complaint', () => {
  it.each(['LIAISON_OFFICER', 'AGENCY_ADMIN'] as const)('lets the holder’s %s escalate an ordinary complaint', (role) => {
    expect(outcome(() => authorizeEscalation(officer(role, regency.id), regency, false))).toBe('ALLOWED');
  });

  it('lets the holder’s admin escalate a complaint one of its units holds', () => {
    expect(outcome(() => authorizeEscalation(officer('AGENCY_ADMIN', regency.id), inspectorate, false))).toBe('ALLOWED');
  });

  it('lets the national admin escalate any complaint, supervisory or not', () => {
    expect(outcome(() => authorizeEscalation(nationalAdmin, regency, false))).toBe('ALLOWED');
    expect(outcome(() => authorizeEscalation(nationalAdmin, inspectorate, true))).toBe('ALLOWED');
  });

  it.each([
    ['an officer of another regency', officer('AGENCY_ADMIN', otherRegency.id)],
    ['the province above (an ancestor, not the holder)', officer('AGENCY_ADMIN', province.id)],
    ['the holder’s Inspectorate, for an ordinary complaint', officer('INSPECTOR', regency.id)],
    ['the holder’s dashboard', officer('DASHBOARD', regency.id)],
    ['the holder’s agency system', officer('AGENCY_SYSTEM', regency.id)],
  ])('refuses %s', (_who, viewer) => {
    expect(outcome(() => authorizeEscalation(viewer, regency, false))).toBe('FORBIDDEN');
  });

  it('leaves a supervisory complaint to the holder’s Inspectorate alone', () => {
    expect(outcome(() => authorizeEscalation(officer('INSPECTOR', regency.id), regency, true))).toBe('ALLOWED');
    expect(outcome(() => authorizeEscalation(officer('AGENCY_ADMIN', regency.id), regency, true))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalation(officer('LIAISON_OFFICER', regency.id), regency, true))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalation(officer('INSPECTOR', otherRegency.id), regency, true))).toBe('FORBIDDEN');
  });

  it('asks the public to sign in, refuses a hub service, and refuses when the holder is unknown', () => {
    expect(outcome(() => authorizeEscalation(publicViewer, regency, false))).toBe('UNAUTHENTICATED');
    expect(outcome(() => authorizeEscalation(service, regency, false))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalation(officer('AGENCY_ADMIN', regency.id), null, false))).toBe('FORBIDDEN');
  });

  it('returns the officer it authorized', () => {
    const liaison = officer('LIAISON_OFFICER', regency.id);
    expect(authorizeEscalation(liaison, regency, false)).toBe(liaison);
  });
});

describe('authorizeResponse: who may answer an escalation', () => {
  const ordinary = { supervisory: false };
  const supervisory = { supervisory: true };

  it.each(['AGENCY_ADMIN', 'LIAISON_OFFICER'] as const)('lets the target’s %s answer an ordinary escalation', (role) => {
    expect(outcome(() => authorizeResponse(officer(role, province.id), ordinary, province))).toBe('ALLOWED');
  });

  it('lets the national admin answer any escalation', () => {
    expect(outcome(() => authorizeResponse(nationalAdmin, ordinary, province))).toBe('ALLOWED');
    expect(outcome(() => authorizeResponse(nationalAdmin, supervisory, inspectorate))).toBe('ALLOWED');
  });

  it('refuses the sender, an ancestor of the target and the target’s Inspectorate for an ordinary one', () => {
    expect(outcome(() => authorizeResponse(officer('AGENCY_ADMIN', regency.id), ordinary, province))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeResponse(officer('AGENCY_ADMIN', province.id), ordinary, regency))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeResponse(officer('INSPECTOR', province.id), ordinary, province))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeResponse(officer('DASHBOARD', province.id), ordinary, province))).toBe('FORBIDDEN');
  });

  it('leaves a supervisory escalation to the target’s Inspectorate', () => {
    expect(outcome(() => authorizeResponse(officer('INSPECTOR', inspectorate.id), supervisory, inspectorate))).toBe('ALLOWED');
    // The regency's Inspectorate officer sits at the regency: its unit is its own.
    expect(outcome(() => authorizeResponse(officer('INSPECTOR', regency.id), supervisory, inspectorate))).toBe('ALLOWED');
    expect(outcome(() => authorizeResponse(officer('AGENCY_ADMIN', regency.id), supervisory, inspectorate))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeResponse(officer('LIAISON_OFFICER', inspectorate.id), supervisory, inspectorate))).toBe('FORBIDDEN');
  });

  it('asks the public to sign in and refuses a hub service', () => {
    expect(outcome(() => authorizeResponse(publicViewer, ordinary, province))).toBe('UNAUTHENTICATED');
    expect(outcome(() => authorizeResponse(service, ordinary, province))).toBe('FORBIDDEN');
  });
});

describe('canReadEscalation: who may read an escalation', () => {
  const ordinary = { supervisory: false };
  const supervisory = { supervisory: true };

  it('lets the nodes at either end, their ancestors and the national admin read an ordinary one', () => {
    expect(canReadEscalation(officer('LIAISON_OFFICER', regency.id), ordinary, regency, province)).toBe(true);
    expect(canReadEscalation(officer('LIAISON_OFFICER', province.id), ordinary, regency, province)).toBe(true);
    expect(canReadEscalation(officer('AGENCY_ADMIN', province.id), ordinary, inspectorate, regency)).toBe(true);
    expect(canReadEscalation(nationalAdmin, ordinary, regency, province)).toBe(true);
  });

  it('refuses a node at neither end nor above, the dashboard role and the public', () => {
    expect(canReadEscalation(officer('AGENCY_ADMIN', otherRegency.id), ordinary, regency, province)).toBe(false);
    expect(canReadEscalation(officer('DASHBOARD', regency.id), ordinary, regency, province)).toBe(false);
    expect(canReadEscalation(publicViewer, ordinary, regency, province)).toBe(false);
  });

  it('shows a supervisory one to the Inspectorate and the national admin only', () => {
    expect(canReadEscalation(officer('INSPECTOR', regency.id), supervisory, regency, inspectorate)).toBe(true);
    expect(canReadEscalation(officer('INSPECTOR', province.id), supervisory, regency, inspectorate)).toBe(true);
    expect(canReadEscalation(nationalAdmin, supervisory, regency, inspectorate)).toBe(true);
    expect(canReadEscalation(officer('AGENCY_ADMIN', regency.id), supervisory, regency, inspectorate)).toBe(false);
    expect(canReadEscalation(officer('LIAISON_OFFICER', regency.id), supervisory, regency, inspectorate)).toBe(false);
    expect(canReadEscalation(officer('AGENCY_ADMIN', province.id), supervisory, regency, inspectorate)).toBe(false);
    expect(canReadEscalation(officer('INSPECTOR', otherRegency.id), supervisory, regency, inspectorate)).toBe(false);
  });

  it('shows the Inspectorate supervisory escalations only (issue 12, item 5: it read ordinary ones too)', () => {
    expect(canReadEscalation(officer('INSPECTOR', regency.id), ordinary, regency, province)).toBe(false);
    expect(canReadEscalation(officer('INSPECTOR', province.id), ordinary, regency, province)).toBe(false);
  });

  it('lets a hub service read every escalation', () => {
    expect(canReadEscalation(service, supervisory, regency, inspectorate)).toBe(true);
  });
});

describe('supervisoryEscalationScope: which escalations a viewer may see at all (null: both, true: supervisory only, false: no supervisory)', () => {
  it.each([
    ['the national admin', null, nationalAdmin],
    ['an inspector', true, officer('INSPECTOR', regency.id)],
    ['a hub service', null, service],
    ['an agency admin', false, officer('AGENCY_ADMIN', regency.id)],
    ['a liaison officer', false, officer('LIAISON_OFFICER', regency.id)],
    ['an agency system', false, officer('AGENCY_SYSTEM', regency.id)],
    ['the dashboard role', false, officer('DASHBOARD', national.id)],
    ['the public', false, publicViewer],
  ] as const)('%s: %s', (_who, scope, viewer) => {
    expect(supervisoryEscalationScope(viewer)).toBe(scope);
  });
});

describe('authorizeEscalationList: whose lists a viewer may read', () => {
  it('lets the node, its ancestors and the national admin list its escalations', () => {
    expect(outcome(() => authorizeEscalationList(officer('LIAISON_OFFICER', regency.id), regency))).toBe('ALLOWED');
    expect(outcome(() => authorizeEscalationList(officer('AGENCY_ADMIN', regency.id), inspectorate))).toBe('ALLOWED');
    expect(outcome(() => authorizeEscalationList(officer('AGENCY_ADMIN', province.id), regency))).toBe('ALLOWED');
    expect(outcome(() => authorizeEscalationList(nationalAdmin, otherRegency))).toBe('ALLOWED');
  });

  it('refuses another node, a node below asking for its parent, and the dashboard role', () => {
    expect(outcome(() => authorizeEscalationList(officer('AGENCY_ADMIN', otherRegency.id), regency))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalationList(officer('AGENCY_ADMIN', regency.id), province))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalationList(officer('DASHBOARD', regency.id), regency))).toBe('FORBIDDEN');
    expect(outcome(() => authorizeEscalationList(publicViewer, regency))).toBe('UNAUTHENTICATED');
  });
});
