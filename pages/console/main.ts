import { ApiFailure, gql } from '../shared/api';
import { agencyPicker, NODE_SEARCH } from '../shared/agency-picker';
import { statusFact, timelineList } from '../shared/complaint';
import { field, h, liveRegion, meta, replace } from '../shared/dom';
import { attachmentList, ATTACHMENTS, evidencePicker } from '../shared/evidence';
import { countdown, formatDateTime, formatNumber } from '../shared/format';
import { codeMessage, lineText, multilineText, optional, showFailure, validate } from '../shared/forms';
import { t, type MessageKey } from '../shared/i18n';
import { frame, navLink, withLanguage } from '../shared/layout';
import { ROLES, type Viewer, signedInViewer } from './viewer';
import { rememberDraft, forgetDraft, uploadsDraft } from './drafts';

/*
 * The officers' console: the node's inbox (filtered, or searched with `searchComplaints` within
 * the node), one complaint with every action the role allows and, for the admins who screen it,
 * its possible duplicates, its evidence and each follow-up's; and the escalations to answer.
 */

const STATUSES = ['SUBMITTED', 'VERIFIED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED', 'REJECTED'] as const;
const REASONS = ['WRONG_AGENCY', 'HIGHER_AUTHORITY', 'SUPERVISORY', 'NEEDS_COORDINATION', 'REPORTER_DISPUTE'] as const;
const ADMINS = ['NATIONAL_ADMIN', 'AGENCY_ADMIN'];
const FOLLOWERS = ['NATIONAL_ADMIN', 'AGENCY_ADMIN', 'LIAISON_OFFICER', 'AGENCY_SYSTEM', 'INSPECTOR'];
const ESCALATORS = ['NATIONAL_ADMIN', 'AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR'];
const PAGE = 20;

const api = <T>(query: string, variables: Record<string, unknown> = {}) => gql<T>(query, variables, { session: true });

/** An officer whose session ended goes back to sign-in; the drafts are in sessionStorage, so nothing typed is lost. */
function signInAgain(): void {
  location.assign(withLanguage(`/console/sign-in?return=${encodeURIComponent(location.pathname + location.search + location.hash)}&error=expired`));
}

function handle(error: unknown, form: HTMLElement, alert: HTMLElement): void {
  if (error instanceof ApiFailure && error.code === 'UNAUTHENTICATED') return signInAgain();
  showFailure(form, alert, error);
}

function route(): void {
  const viewer = signedInViewer();
  if (!viewer || location.pathname.startsWith('/console/sign-in')) return signInView(viewer);
  const complaintId = new URLSearchParams(location.hash.slice(1)).get('complaint');
  const main = frame('console.heading', [navLink('/console', 'console.nav.inbox', !complaintId), navLink('/dashboard', 'dashboard.nav'), navLink('/graphql', 'explorer.nav')]);
  main.prepend(whoAmI(viewer));
  if (complaintId) void complaintView(main, viewer, complaintId);
  else void inboxView(main, viewer);
}

function whoAmI(viewer: Viewer): HTMLElement {
  const node = h('span', { 'data-testid': 'viewer-node' }, viewer.agencyId);
  void api<{ agency: { name: string } | null }>('query($id: ID!) { agency(id: $id) { name } }', { id: viewer.agencyId }).then((data) => data.agency && (node.textContent = data.agency.name)).catch(() => undefined);
  return h(
    'div',
    { class: 'who' },
    h('p', {}, t('console.signed-in-as'), ' ', h('strong', {}, t(`role.${viewer.role}` as MessageKey)), ' · ', node),
    h('form', { method: 'post', action: '/console/sign-out' }, h('button', { type: 'submit', class: 'link' }, t('console.sign-out'))),
  );
}

function signInView(viewer: Viewer | null): void {
  const main = frame('console.sign-in.heading', [navLink('/', 'portal.nav.submit'), navLink('/dashboard', 'dashboard.nav')]);
  const params = new URLSearchParams(location.search);
  // Shown in place of a console page (no session yet): back to that very page, complaint and all.
  const returnTo = params.get('return') ?? (location.pathname.startsWith('/console/sign-in') ? '/console' : location.pathname + location.search + location.hash);
  const error = params.get('error');
  if (error) main.append(h('p', { class: 'notice notice-alert', role: 'alert' }, t(`console.sign-in.error.${error === 'expired' ? 'expired' : 'failed'}` as MessageKey)));
  if (viewer) main.append(h('p', {}, t('console.sign-in.already'), ' ', h('a', { href: withLanguage(returnTo) }, t('console.sign-in.continue'))));
  const mode = meta('sign-in');
  if (mode === 'oidc') {
    main.append(h('p', {}, t('console.sign-in.oidc.intro')), h('a', { class: 'button primary', href: `/console/sign-in/oidc?return=${encodeURIComponent(returnTo)}` }, t('console.sign-in.oidc')));
    return;
  }
  if (mode !== 'development') {
    main.append(h('p', {}, t('console.sign-in.unavailable')));
    return;
  }
  const role = field('console.field.role', h('select', { name: 'role' }, ROLES.map((value) => h('option', { value }, t(`role.${value}` as MessageKey)))));
  const agencyId = h('input', { type: 'hidden', name: 'agencyId', value: 'kemenpanrb-lapor' });
  const picker = agencyPicker({ label: 'console.field.node', hint: 'console.hint.node', query: NODE_SEARCH, apiField: 'agencyId', onPick: (agency) => (agencyId.value = agency?.id ?? 'kemenpanrb-lapor') });
  main.append(
    h('p', { class: 'notice' }, t('console.sign-in.development.intro')),
    h('form', { method: 'post', action: '/console/sign-in/development', class: 'sign-in' }, role.wrapper, picker.element, agencyId, h('input', { type: 'hidden', name: 'return', value: returnTo }), h('button', { type: 'submit', class: 'primary' }, t('console.sign-in.submit'))),
  );
}

interface InboxItem {
  id: string;
  trackingId: string;
  title: string;
  status: string;
  overdue: boolean;
  submittedAt: string;
  verifyDueAt: string | null;
  followUpDueAt: string | null;
  closesAt: string | null;
}

interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

const INBOX = `query($id: ID!, $assigned: Boolean!, $status: ComplaintStatus, $overdue: Boolean, $districtCode: String, $after: String) { agency(id: $id) { id name timeZone
  assigned: assignedComplaints(status: $status, overdue: $overdue, districtCode: $districtCode, first: ${PAGE}, after: $after) @include(if: $assigned) { ...page }
  addressed: addressedComplaints(status: $status, overdue: $overdue, districtCode: $districtCode, first: ${PAGE}, after: $after) @skip(if: $assigned) { ...page }
  incomingEscalations(status: OPEN, first: 20) { totalCount edges { node { id reason overdue respondDueAt complaint { id trackingId title } fromAgency { name } } } } } }
fragment page on ComplaintConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { ...row } } }
fragment row on Complaint { id trackingId title status overdue submittedAt verifyDueAt followUpDueAt closesAt }`;

/** Words within the officer's node (the status filter applies; relation, lateness and district do not). */
const SEARCH = `query($query: String!, $id: ID!, $status: ComplaintStatus, $after: String) {
  agency(id: $id) { timeZone }
  searchComplaints(query: $query, agencyId: $id, status: $status, first: ${PAGE}, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ...row } } } }
fragment row on Complaint { id trackingId title status overdue submittedAt verifyDueAt followUpDueAt closesAt }`;

function select(label: MessageKey, options: [string, string][], value: string): ReturnType<typeof field> {
  return field(label, h('select', {}, options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text))));
}

/** The deadline of the step a complaint waits in. */
function currentDeadline(item: { status: string; verifyDueAt: string | null; followUpDueAt: string | null; closesAt: string | null }): string | null {
  return ({ SUBMITTED: item.verifyDueAt, VERIFIED: item.verifyDueAt, FORWARDED: item.followUpDueAt, FOLLOWED_UP: item.closesAt } as Record<string, string | null>)[item.status] ?? null;
}

async function inboxView(main: HTMLElement, viewer: Viewer): Promise<void> {
  const params = new URLSearchParams(location.search);
  const relation = params.get('relation') ?? (ADMINS.includes(viewer.role) ? 'addressed' : 'assigned');
  const relationField = select('console.filter.relation', [['addressed', t('console.relation.addressed')], ['assigned', t('console.relation.assigned')]], relation);
  const statusField = select('console.filter.status', [['', t('console.filter.any')], ...STATUSES.map((status): [string, string] => [status, t(`status.${status}` as MessageKey)])], params.get('status') ?? '');
  const overdueField = select('console.filter.overdue', [['', t('console.filter.any')], ['true', t('console.overdue.yes')], ['false', t('console.overdue.no')]], params.get('overdue') ?? '');
  const districtField = field('console.filter.district', h('input', { type: 'text', inputmode: 'decimal', maxlength: 8, value: params.get('district') ?? '', placeholder: '52.06.01' }), { apiField: 'districtCode' });
  const searchField = field('console.filter.search', h('input', { type: 'search', maxlength: 200, value: params.get('q') ?? '' }), { hint: 'console.hint.search', apiField: 'query' });
  const filters = h('form', { class: 'filters', novalidate: true, 'aria-label': t('console.filters') }, searchField.wrapper, relationField.wrapper, statusField.wrapper, overdueField.wrapper, districtField.wrapper, h('button', { type: 'submit' }, t('console.filter.apply')));
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!validate(filters, alert, [
      { control: districtField.control, field: 'districtCode', valid: (value) => value.trim() === '' || /^\d{2}\.\d{2}\.\d{2}$/.test(value.trim()) },
      { control: searchField.control, field: 'query', valid: optional(lineText(200)) },
    ])) return;
    const next = new URLSearchParams({ relation: relationField.control.value });
    if (statusField.control.value) next.set('status', statusField.control.value);
    if (overdueField.control.value) next.set('overdue', overdueField.control.value);
    if (districtField.control.value.trim()) next.set('district', districtField.control.value.trim());
    if (searchField.control.value.trim()) next.set('q', searchField.control.value.trim());
    if (params.get('lang')) next.set('lang', params.get('lang')!);
    history.pushState(null, '', `/console?${next}`);
    route();
  });
  const alert = liveRegion('alert');
  const summary = h('p', { 'aria-live': 'polite', 'data-testid': 'inbox-count' });
  const list = h('ul', { class: 'inbox', 'aria-labelledby': 'inbox-heading' });
  const more = h('button', { type: 'button', hidden: true }, t('console.more'));
  const escalations = h('section', { 'aria-labelledby': 'escalations-heading' });
  main.append(h('h2', { id: 'inbox-heading' }, t('console.inbox.heading')), filters, alert, summary, list, more, escalations);
  let after: string | null = null;
  let zone = 'Asia/Jakarta';
  const query = params.get('q');
  const load = async () => {
    const data: { agency: { timeZone: string; found?: Connection<InboxItem>; assigned?: Connection<InboxItem>; addressed?: Connection<InboxItem>; incomingEscalations: Connection<any> | null } | null } = query
      ? await api<{ agency: { timeZone: string } | null; searchComplaints: Connection<InboxItem> }>(SEARCH, { query, id: viewer.agencyId, status: params.get('status') || null, after }).then((found) => ({ agency: found.agency && { ...found.agency, found: found.searchComplaints, incomingEscalations: null } }))
      : await api<{ agency: { timeZone: string; found?: Connection<InboxItem>; assigned?: Connection<InboxItem>; addressed?: Connection<InboxItem>; incomingEscalations: Connection<any> | null } | null }>(INBOX, {
          id: viewer.agencyId,
          assigned: relation === 'assigned',
          status: params.get('status') || null,
          overdue: params.get('overdue') ? params.get('overdue') === 'true' : null,
          districtCode: params.get('district') || null,
          after,
        });
    if (!data.agency) return void (alert.textContent = codeMessage('NOT_FOUND'));
    zone = data.agency.timeZone;
    const page = (data.agency.found ?? data.agency.assigned ?? data.agency.addressed)!;
    summary.textContent = t('console.inbox.count', { count: formatNumber(page.totalCount) });
    for (const { node } of page.edges) list.append(await inboxRow(node, zone));
    more.hidden = !page.pageInfo.hasNextPage;
    after = page.pageInfo.endCursor;
    if (!escalations.childElementCount && data.agency.incomingEscalations) {
      const open = data.agency.incomingEscalations;
      escalations.append(
        h('h2', { id: 'escalations-heading' }, t('console.escalations.incoming'), ` (${formatNumber(open.totalCount)})`),
        open.edges.length
          ? h('ul', { class: 'inbox' }, open.edges.map(({ node }) => h('li', {}, h('a', { href: `#complaint=${node.complaint?.id}` }, node.complaint?.trackingId ?? node.id, ' — ', node.complaint?.title ?? ''), h('p', { class: 'meta' }, t(`reason.${node.reason}` as MessageKey), ' · ', node.fromAgency?.name ?? '', ' · ', t('console.escalation.respondBy'), ' ', formatDateTime(node.respondDueAt, zone), node.overdue ? ` · ${t('common.overdue')}` : ''))))
          : h('p', {}, t('console.escalations.none')),
      );
    }
  };
  more.addEventListener('click', () => void load().catch((error) => handle(error, filters, alert)));
  await load().catch((error) => handle(error, filters, alert));
}

async function inboxRow(item: InboxItem, zone: string): Promise<HTMLElement> {
  const due = currentDeadline(item);
  return h(
    'li',
    { 'data-testid': 'inbox-item' },
    h('a', { href: `#complaint=${item.id}` }, h('span', { class: 'tracking' }, item.trackingId), ' ', item.title),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `status status-${item.status}` }, t(`status.${item.status}` as MessageKey)),
      item.overdue ? h('span', { class: 'overdue' }, ` · ${t('common.overdue')}`) : null,
      ' · ',
      formatDateTime(item.submittedAt, zone),
      due ? [' · ', t('console.due'), ' ', h('span', { class: 'countdown' }, await countdown(due, zone))] : null,
    ),
  );
}

const COMPLAINT = `query($id: ID!) { complaint(id: $id) {
  id trackingId type title body status channel anonymous confidential regionCode supervisory overdue version disputeCount rejectionReason closedBy
  submittedAt verifyDueAt followUpDueAt closesAt category { name } reporter { name email phone }
  addressedAgency { id name timeZone } assignedAgency { id name timeZone } ${ATTACHMENTS}
  followUps { id body postedAt authorRole agency { name } ${ATTACHMENTS} }
  timeline { id action fromStatus toStatus actorKind actorRole actorAgency { name } agency { name } note at }
  escalations { id reason status note responseNote createdAt respondedAt respondDueAt overdue fromAgency { id name } toAgency { id name } } } }`;

async function complaintView(main: HTMLElement, viewer: Viewer, id: string): Promise<void> {
  const container = h('div', {});
  main.append(h('p', {}, h('a', { href: withLanguage('/console') }, t('console.back'))), container);
  const load = async () => {
    const data = await api<{ complaint: any }>(COMPLAINT, { id });
    if (!data.complaint) return void replace(container, h('p', { role: 'alert' }, codeMessage('NOT_FOUND')));
    await renderComplaint(container, viewer, data.complaint, load);
  };
  await load().catch((error) => (error instanceof ApiFailure && error.code === 'UNAUTHENTICATED' ? signInAgain() : replace(container, h('p', { role: 'alert' }, codeMessage(error instanceof ApiFailure ? error.code : 'INTERNAL_SERVER_ERROR')))));
}

async function renderComplaint(container: HTMLElement, viewer: Viewer, complaint: any, reload: () => Promise<void>): Promise<void> {
  const holder = complaint.assignedAgency ?? complaint.addressedAgency;
  const zone = holder?.timeZone ?? 'Asia/Jakarta';
  const deadlines: HTMLElement[] = [];
  for (const [key, iso] of [['deadline.verify', complaint.verifyDueAt], ['deadline.followUp', complaint.followUpDueAt], ['deadline.closes', complaint.closesAt]] as [MessageKey, string | null][]) {
    if (!iso) continue;
    const current = currentDeadline(complaint) === iso && !['CLOSED', 'REJECTED'].includes(complaint.status);
    deadlines.push(h('dt', {}, t(key)), h('dd', {}, formatDateTime(iso, zone), current ? [' ', h('span', { class: 'countdown', 'data-testid': 'countdown' }, `(${await countdown(iso, zone)})`)] : null));
  }
  const heading = h('h2', { id: 'complaint-heading', tabindex: '-1' }, `${complaint.trackingId}: ${complaint.title}`);
  replace(
    container,
    h(
      'article',
      { 'aria-labelledby': 'complaint-heading' },
      heading,
      h(
        'dl',
        { class: 'facts' },
        statusFact(complaint),
        h('dt', {}, t('common.type')),
        h('dd', {}, t(`type.${complaint.type}` as MessageKey), complaint.supervisory ? ` · ${t('console.supervisory')}` : ''),
        h('dt', {}, t('console.addressed')),
        h('dd', {}, complaint.addressedAgency?.name ?? '—'),
        h('dt', {}, t('console.assigned')),
        h('dd', {}, complaint.assignedAgency?.name ?? '—'),
        h('dt', {}, t('portal.field.category')),
        h('dd', {}, complaint.category?.name ?? '—'),
        h('dt', {}, t('console.reporter')),
        h('dd', {}, complaint.anonymous ? t('console.reporter.anonymous') : [complaint.reporter?.name, complaint.reporter?.email, complaint.reporter?.phone].filter(Boolean).join(' · ') || '—'),
        h('dt', {}, t('common.submitted')),
        h('dd', {}, formatDateTime(complaint.submittedAt, zone)),
        deadlines,
        h('dt', {}, t('console.version')),
        h('dd', { 'data-testid': 'version' }, String(complaint.version)),
      ),
      h('p', { class: 'body' }, complaint.body),
      complaint.attachments.length ? [h('h3', {}, t('attachment.heading')), attachmentList(complaint.attachments)] : null,
      complaint.rejectionReason ? h('p', {}, h('strong', {}, t('portal.rejection')), ' ', complaint.rejectionReason) : null,
      h('section', { class: 'actions', 'aria-labelledby': 'actions-heading' }, h('h3', { id: 'actions-heading' }, t('console.actions')), actions(viewer, complaint, reload)),
      screens(viewer, complaint) ? await duplicatesSection(complaint, zone, reload).catch(() => null) : null,
      complaint.followUps.length
        ? [h('h3', {}, t('portal.followUps')), h('ul', { class: 'follow-ups' }, complaint.followUps.map((item: any) => h('li', {}, h('p', {}, item.body), attachmentList(item.attachments), h('p', { class: 'meta' }, `${item.agency?.name ?? ''} · ${t(`role.${item.authorRole}` as MessageKey)} · ${formatDateTime(item.postedAt, zone)}`))))]
        : null,
      h('h3', {}, t('console.escalations')),
      escalationList(viewer, complaint, zone, reload),
      h('h3', {}, t('common.timeline')),
      timelineList(complaint.timeline, zone),
    ),
  );
}

interface ActionSpec {
  key: 'verify' | 'reject' | 'forward' | 'followUp' | 'escalate';
  allowed: boolean;
}

/** The forms of every step this role may take on a complaint in its status; the API has the last word on each. */
function actions(viewer: Viewer, complaint: any, reload: () => Promise<void>): HTMLElement {
  const specs: ActionSpec[] = [
    { key: 'verify', allowed: ADMINS.includes(viewer.role) && complaint.status === 'SUBMITTED' },
    { key: 'reject', allowed: ADMINS.includes(viewer.role) && ['SUBMITTED', 'VERIFIED'].includes(complaint.status) },
    { key: 'forward', allowed: ADMINS.includes(viewer.role) && ['VERIFIED', 'FORWARDED'].includes(complaint.status) },
    { key: 'followUp', allowed: FOLLOWERS.includes(viewer.role) && complaint.status === 'FORWARDED' },
    { key: 'escalate', allowed: ESCALATORS.includes(viewer.role) && ['FORWARDED', 'FOLLOWED_UP'].includes(complaint.status) },
  ];
  const allowed = specs.filter((spec) => spec.allowed);
  if (!allowed.length) return h('p', {}, t('console.actions.none'));
  return h('div', { class: 'action-forms' }, allowed.map((spec) => actionForm(spec.key, complaint, reload)));
}

function actionForm(key: ActionSpec['key'], complaint: any, reload: () => Promise<void>): HTMLElement {
  const alert = liveRegion('alert');
  const draftKey = (name: string) => `${complaint.id}:${key}:${name}`;
  const text = (name: string, label: MessageKey, apiField: string, rows = 3) => {
    const control = h('textarea', { rows, maxlength: 4000, name });
    rememberDraft(control, draftKey(name));
    return field(label, control, { apiField });
  };
  const note = text('note', 'console.field.note', 'input.note', 2);
  const fields: HTMLElement[] = [];
  let main: ReturnType<typeof field> | null = null;
  let target: string | null = null;
  const reason = select('console.field.reason', REASONS.map((value): [string, string] => [value, t(`reason.${value}` as MessageKey)]), 'WRONG_AGENCY');
  if (key === 'reject') main = text('reason', 'console.field.rejectReason', 'input.reason');
  if (key === 'followUp') main = text('body', 'console.field.followUp', 'input.body', 5);
  // Proof of repair; what was uploaded outlives a CONFLICT's reload or a sign-in, like the text.
  const draftUploads = key === 'followUp' ? uploadsDraft(draftKey('attachments')) : null;
  const evidence = draftUploads ? evidencePicker({ label: 'console.field.evidence', apiField: 'input.attachmentIds', saved: draftUploads.saved, onSave: draftUploads.save }) : null;
  if (evidence) fields.push(evidence.element);
  if (key === 'forward' || key === 'escalate') {
    const picker = agencyPicker({ label: key === 'forward' ? 'console.field.forwardTo' : 'console.field.escalateTo', hint: 'console.hint.node', query: NODE_SEARCH, apiField: key === 'forward' ? 'input.agencyId' : 'input.toAgencyId', session: true, onPick: (agency) => (target = agency?.id ?? null) });
    fields.push(picker.element);
  }
  if (key === 'escalate') fields.unshift(reason.wrapper);
  if (main) fields.unshift(main.wrapper);
  const submit = h('button', { type: 'submit', class: key === 'reject' ? 'danger' : 'primary' }, t(`console.action.${key}` as MessageKey));
  const form = h('form', { novalidate: true, class: 'action', 'data-action': key, 'aria-labelledby': `action-${key}` }, h('h4', { id: `action-${key}` }, t(`console.action.${key}.heading` as MessageKey)), ...fields, note.wrapper, alert, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const rules = main ? [{ control: main.control, field: main.control.dataset.apiField!, valid: key === 'reject' ? lineText(1000) : multilineText(4000) }] : [];
    if (!validate(form, alert, rules)) return;
    if ((key === 'forward' || key === 'escalate') && !target) {
      alert.textContent = t('console.pick-node');
      return;
    }
    const noteValue = note.control.value.trim() || null;
    const base = { complaintId: complaint.id, version: complaint.version, note: noteValue };
    const mutation = {
      verify: ['verifyComplaint', 'VerifyComplaintInput', base],
      reject: ['rejectComplaint', 'RejectComplaintInput', { ...base, reason: main?.control.value }],
      forward: ['forwardComplaint', 'ForwardComplaintInput', { ...base, agencyId: target }],
      followUp: ['postFollowUp', 'PostFollowUpInput', { ...base, body: main?.control.value }],
      escalate: ['escalateComplaint', 'EscalateComplaintInput', { complaintId: complaint.id, toAgencyId: target, reason: reason.control.value, note: noteValue }],
    }[key] as [string, string, Record<string, unknown>];
    const payload = key === 'escalate' ? 'escalation { id }' : 'complaint { id version }';
    submit.disabled = true;
    alert.textContent = t('common.sending');
    try {
      const uploads = evidence ? await evidence.upload() : {};
      if (!uploads) {
        submit.disabled = false;
        return void (alert.textContent = t('error.fix-fields'));
      }
      await api(`mutation($input: ${mutation[1]}!) { ${mutation[0]}(input: $input) { ${payload} } }`, { input: { ...mutation[2], ...uploads } });
      for (const name of ['note', 'reason', 'body', 'attachments']) forgetDraft(draftKey(name));
      await reload();
      document.getElementById('complaint-heading')?.focus();
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiFailure && error.code === 'CONFLICT') return conflict(form, alert, reload);
      handle(evidence ? evidence.refused(error) : error, form, alert);
    }
  });
  return form;
}

/** The admins who screen an open complaint (the API's rule, `authorizeScreening`): the national admin, the admin of its addressed or assigned node. */
function screens(viewer: Viewer, complaint: any): boolean {
  if (['CLOSED', 'REJECTED'].includes(complaint.status)) return false;
  return viewer.role === 'NATIONAL_ADMIN' || (viewer.role === 'AGENCY_ADMIN' && [complaint.addressedAgency?.id, complaint.assignedAgency?.id].includes(viewer.agencyId));
}

const DUPLICATES = `query($id: ID!) { complaint(id: $id) { possibleDuplicates(first: 5) { similarity complaint { id trackingId title status submittedAt } } } }`;

/**
 * For the admins who screen a complaint: the open complaints most like it, each with "mark this
 * one as its duplicate", sent with the version read (a CONFLICT when someone changed it since).
 */
async function duplicatesSection(complaint: any, zone: string, reload: () => Promise<void>): Promise<HTMLElement> {
  const data = await api<{ complaint: { possibleDuplicates: { similarity: number; complaint: { id: string; trackingId: string; title: string; status: string; submittedAt: string } }[] } | null }>(DUPLICATES, { id: complaint.id });
  const candidates = data.complaint?.possibleDuplicates ?? [];
  const percent = new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID', { style: 'percent', maximumFractionDigits: 0 });
  return h(
    'section',
    { 'aria-labelledby': 'duplicates-heading', 'data-testid': 'duplicates' },
    h('h3', { id: 'duplicates-heading' }, t('console.duplicates')),
    candidates.length
      ? h('ul', { class: 'inbox' }, candidates.map((candidate) => h('li', { 'data-testid': 'duplicate-candidate' }, h('a', { href: `#complaint=${candidate.complaint.id}` }, h('span', { class: 'tracking' }, candidate.complaint.trackingId), ' ', candidate.complaint.title), h('p', { class: 'meta' }, t(`status.${candidate.complaint.status}` as MessageKey), ' · ', formatDateTime(candidate.complaint.submittedAt, zone), ' · ', t('console.duplicates.similarity', { value: percent.format(candidate.similarity) })), markForm(complaint, candidate.complaint, reload))))
      : h('p', {}, t('console.duplicates.none')),
  );
}

function markForm(complaint: any, original: { id: string; trackingId: string }, reload: () => Promise<void>): HTMLElement {
  const alert = liveRegion('alert');
  const submit = h('button', { type: 'submit' }, t('console.duplicates.mark', { trackingId: original.trackingId }));
  const form = h('form', { novalidate: true, class: 'mark-duplicate', 'data-action': 'markAsDuplicate', 'data-original': original.id, 'aria-label': t('console.duplicates.mark', { trackingId: original.trackingId }) }, alert, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    alert.textContent = t('common.sending');
    try {
      await api('mutation($input: MarkAsDuplicateInput!) { markAsDuplicate(input: $input) { complaint { id version status } } }', { input: { complaintId: complaint.id, duplicateOfId: original.id, version: complaint.version } });
      await reload();
      document.getElementById('complaint-heading')?.focus();
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiFailure && error.code === 'CONFLICT') return conflict(form, alert, reload);
      handle(error, form, alert);
    }
  });
  return form;
}

/** Someone else changed the complaint since it was read: say so, and reload it on request; the typed text stays in its draft. */
function conflict(form: HTMLElement, alert: HTMLElement, reload: () => Promise<void>): void {
  replace(alert, h('span', {}, t('console.conflict')), ' ', h('button', { type: 'button', 'data-testid': 'reload', onclick: () => void reload().then(() => form.isConnected || document.querySelector<HTMLElement>(`form[data-action="${form.dataset.action}"] textarea`)?.focus()) }, t('console.reload')));
}

function escalationList(viewer: Viewer, complaint: any, zone: string, reload: () => Promise<void>): HTMLElement {
  const escalations: any[] = complaint.escalations ?? [];
  if (!escalations.length) return h('p', {}, t('console.escalations.none'));
  return h(
    'ul',
    { class: 'escalations' },
    escalations.map((escalation) =>
      h(
        'li',
        {},
        h('p', {}, h('strong', {}, t(`reason.${escalation.reason}` as MessageKey)), ' · ', `${escalation.fromAgency?.name ?? '?'} → ${escalation.toAgency?.name ?? '?'}`, ' · ', t(`escalation.${escalation.status}` as MessageKey)),
        h('p', { class: 'meta' }, formatDateTime(escalation.createdAt, zone), escalation.status === 'OPEN' ? [' · ', t('console.escalation.respondBy'), ' ', formatDateTime(escalation.respondDueAt, zone), escalation.overdue ? ` · ${t('common.overdue')}` : ''] : ''),
        escalation.note ? h('p', { class: 'note' }, escalation.note) : null,
        escalation.responseNote ? h('p', { class: 'note' }, escalation.responseNote) : null,
        escalation.status === 'OPEN' && (escalation.toAgency?.id === viewer.agencyId || viewer.role === 'NATIONAL_ADMIN') ? respondForm(escalation, reload) : null,
      ),
    ),
  );
}

function respondForm(escalation: any, reload: () => Promise<void>): HTMLElement {
  const alert = liveRegion('alert');
  const control = h('textarea', { rows: 2, maxlength: 4000 });
  rememberDraft(control, `${escalation.id}:respond:note`);
  const note = field('console.field.note', control, { apiField: 'input.note' });
  const form = h('form', { novalidate: true, class: 'action', 'aria-label': t('console.escalation.respond') }, note.wrapper, alert);
  const answer = (accept: boolean) => async () => {
    try {
      await api('mutation($input: RespondToEscalationInput!) { respondToEscalation(input: $input) { escalation { id status } } }', { input: { escalationId: escalation.id, accept, note: control.value.trim() || null } });
      forgetDraft(`${escalation.id}:respond:note`);
      await reload();
    } catch (error) {
      handle(error, form, alert);
    }
  };
  form.append(h('button', { type: 'button', class: 'primary', onclick: answer(true) }, t('console.escalation.accept')), ' ', h('button', { type: 'button', onclick: answer(false) }, t('console.escalation.decline')));
  return form;
}

window.addEventListener('hashchange', route);
window.addEventListener('popstate', route);
route();
