import { gql } from '../shared/api';
import { agencyPicker, REGION_SEARCH } from '../shared/agency-picker';
import { statusFact, timelineList } from '../shared/complaint';
import { field, h, liveRegion, replace, type Field } from '../shared/dom';
import { attachmentList, ATTACHMENTS, evidencePicker, type Attachment } from '../shared/evidence';
import { countdown, formatDateTime, formatNumber } from '../shared/format';
import { email, lineText, multilineText, optional, phone, showFailure, validate } from '../shared/forms';
import { t, type MessageKey } from '../shared/i18n';
import { frame, navLink } from '../shared/layout';

/* The citizen portal: one page, one view per `#hash`. A view is a function that fills `main`. */
const VIEWS: Record<string, { label: MessageKey; render: (main: HTMLElement) => void | Promise<void> }> = {
  '': { label: 'portal.nav.submit', render: submitView },
  daftar: { label: 'portal.nav.list', render: listView },
  lacak: { label: 'portal.nav.track', render: (main) => trackView(main) },
};

const COMPLAINT_TYPES = ['COMPLAINT', 'ASPIRATION', 'INFORMATION_REQUEST'] as const;

function route(): void {
  const key = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : '';
  const main = frame(
    'portal.heading',
    Object.entries(VIEWS).map(([hash, view]) => navLink(hash ? `/#${hash}` : '/', view.label, hash === key)),
  );
  void VIEWS[key].render(main);
}

function radioGroup(legend: MessageKey, name: string, options: { value: string; label: MessageKey; hint?: MessageKey }[], checked: string): HTMLFieldSetElement {
  return h(
    'fieldset',
    { class: 'choices' },
    h('legend', {}, t(legend)),
    options.map((option) =>
      h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', name, id: `${name}-${option.value}`, value: option.value, checked: option.value === checked }),
        h('label', { for: `${name}-${option.value}` }, t(option.label), option.hint ? h('span', { class: 'hint' }, t(option.hint)) : null),
      ),
    ),
  );
}

async function submitView(main: HTMLElement): Promise<void> {
  const alert = liveRegion('alert');
  const title = field('portal.field.title', h('input', { type: 'text', maxlength: 200, autocomplete: 'off' }), { hint: 'portal.hint.title', apiField: 'input.title' });
  const body = field('portal.field.body', h('textarea', { rows: 6, maxlength: 4000 }), { hint: 'portal.hint.body', apiField: 'input.body' });
  const category = field('portal.field.category', h('select', {}, h('option', { value: '' }, t('portal.category.none'))), { apiField: 'input.categoryId' });
  let regionCode: string | null = null;
  const area = areaFields();
  const place = agencyPicker({ label: 'portal.field.place', hint: 'portal.hint.place', query: REGION_SEARCH, apiField: 'input.regionCode', onPick: (agency) => void area.regency((regionCode = agency?.regionCode ?? null)) });
  const evidence = evidencePicker({ label: 'portal.field.evidence', apiField: 'input.attachmentIds' });
  const anonymous = h('input', { type: 'checkbox', id: 'anonymous' });
  const confidential = h('input', { type: 'checkbox', id: 'confidential' });
  const name = field('portal.field.name', h('input', { type: 'text', maxlength: 200, autocomplete: 'name' }), { apiField: 'input.reporter.name' });
  const mail = field('portal.field.email', h('input', { type: 'email', maxlength: 254, autocomplete: 'email', inputmode: 'email' }), { hint: 'portal.hint.email', apiField: 'input.reporter.email' });
  const tel = field('portal.field.phone', h('input', { type: 'tel', maxlength: 16, autocomplete: 'tel', inputmode: 'tel' }), { hint: 'portal.hint.phone', apiField: 'input.reporter.phone' });
  // One key per filled-in form: a retry after a lost answer returns the first complaint instead of a second one.
  let idempotencyKey = crypto.randomUUID();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('portal.submit'));
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'submit-heading' },
    h('h2', { id: 'submit-heading' }, t('portal.submit.heading')),
    h('p', {}, t('portal.submit.intro')),
    radioGroup('portal.field.type', 'type', COMPLAINT_TYPES.map((value) => ({ value, label: `type.${value}` as MessageKey, hint: `type.${value}.hint` as MessageKey })), 'COMPLAINT'),
    title.wrapper,
    body.wrapper,
    category.wrapper,
    place.element,
    area.element,
    evidence.element,
    h(
      'fieldset',
      { class: 'privacy' },
      h('legend', {}, t('portal.privacy.legend')),
      h('p', {}, h('strong', {}, t('portal.privacy.anonymous.title')), ' ', t('portal.privacy.anonymous.explain')),
      h('p', {}, h('strong', {}, t('portal.privacy.confidential.title')), ' ', t('portal.privacy.confidential.explain')),
      h('div', { class: 'choice' }, anonymous, h('label', { for: 'anonymous' }, t('portal.privacy.anonymous.choice'))),
      h('div', { class: 'choice' }, confidential, h('label', { for: 'confidential' }, t('portal.privacy.confidential.choice'))),
    ),
    h('fieldset', {}, h('legend', {}, t('portal.reporter.legend')), h('p', { class: 'hint' }, t('portal.reporter.hint')), name.wrapper, mail.wrapper, tel.wrapper),
    alert,
    submit,
  );
  main.append(form);
  void gql<{ categories: { id: string; name: string }[] }>('{ categories { id name } }').then(({ categories }) => {
    for (const item of categories) category.control.append(h('option', { value: item.id }, item.name));
  });
  form.addEventListener('input', () => (idempotencyKey = crypto.randomUUID()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const valid = validate(form, alert, [
      { control: title.control, field: 'input.title', valid: lineText(200) },
      { control: body.control, field: 'input.body', valid: multilineText(4000) },
      { control: name.control, field: 'input.reporter.name', valid: optional(lineText(200)) },
      { control: mail.control, field: 'input.reporter.email', valid: optional(email) },
      { control: tel.control, field: 'input.reporter.phone', valid: optional(phone) },
    ]);
    if (!valid) return;
    const value = (control: { value: string }) => control.value.trim() || null;
    const reporter = { name: value(name.control), email: value(mail.control), phone: value(tel.control) };
    submit.disabled = true;
    alert.textContent = t('common.sending');
    try {
      const uploads = await evidence.upload();
      if (!uploads) return void (alert.textContent = t('error.fix-fields'));
      const data = await gql<{ submitComplaint: { reporterToken: string; complaint: { trackingId: string; addressedAgency: { name: string } | null } } }>(
        `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { reporterToken complaint { trackingId addressedAgency { name } } } }`,
        {
          input: {
            type: form.querySelector<HTMLInputElement>('input[name="type"]:checked')?.value ?? 'COMPLAINT',
            title: title.control.value,
            body: body.control.value,
            channel: 'WEB',
            regionCode,
            districtCode: area.district.control.value || null,
            villageCode: area.village.control.value || null,
            categoryId: category.control.value || null,
            anonymous: anonymous.checked,
            confidential: confidential.checked,
            reporter: Object.values(reporter).some(Boolean) ? reporter : null,
            idempotencyKey,
            ...uploads,
          },
        },
      );
      receipt(main, data.submitComplaint.complaint.trackingId, data.submitComplaint.reporterToken, data.submitComplaint.complaint.addressedAgency?.name ?? null);
    } catch (error) {
      showFailure(form, alert, evidence.refused(error));
    } finally {
      submit.disabled = false;
    }
  });
}

/** The tracking id and the reporter token, shown this once: the hub keeps only the token's hash. */
function receipt(main: HTMLElement, trackingId: string, token: string, addressedTo: string | null): void {
  const heading = h('h2', { id: 'receipt-heading', tabindex: '-1' }, t('portal.receipt.heading'));
  replace(
    main,
    h('h1', {}, t('portal.heading')),
    h(
      'section',
      { class: 'receipt', 'aria-labelledby': 'receipt-heading' },
      heading,
      addressedTo ? h('p', {}, t('portal.receipt.addressed', { name: addressedTo })) : null,
      h('dl', {}, h('dt', {}, t('portal.field.trackingId')), h('dd', {}, h('code', { 'data-testid': 'tracking-id' }, trackingId)), h('dt', {}, t('portal.field.token')), h('dd', {}, h('code', { 'data-testid': 'reporter-token' }, token))),
      h('p', { class: 'warning', role: 'note' }, h('strong', {}, t('portal.receipt.warning.title')), ' ', t('portal.receipt.warning')),
      h('p', {}, h('a', { href: '#lacak', 'data-testid': 'follow-link' }, t('portal.receipt.follow'))),
    ),
  );
  sessionPrefill = { trackingId, token };
  heading.focus();
}

/** Filled in after a submission, for the "follow it" link; kept in memory only, never stored. */
let sessionPrefill: { trackingId: string; token: string } | null = null;

interface TrackedComplaint {
  trackingId: string;
  title: string;
  status: string;
  type: string;
  submittedAt: string;
  verifyDueAt: string | null;
  followUpDueAt: string | null;
  closesAt: string | null;
  overdue: boolean;
  rejectionReason: string | null;
  closedBy: string | null;
  addressedAgency: { name: string; timeZone: string } | null;
  assignedAgency: { name: string; timeZone: string } | null;
  attachments: Attachment[];
  followUps: { body: string; postedAt: string; agency: { name: string } | null; attachments: Attachment[] }[];
  timeline: { action: string; toStatus: string; at: string; note: string | null; agency: { name: string } | null }[];
}

const TRACK = `query($trackingId: String!, $reporterToken: String) { complaintByTrackingId(trackingId: $trackingId, reporterToken: $reporterToken) {
  trackingId title status type submittedAt verifyDueAt followUpDueAt closesAt overdue rejectionReason closedBy
  addressedAgency { name timeZone } assignedAgency { name timeZone } ${ATTACHMENTS}
  followUps { body postedAt agency { name } ${ATTACHMENTS} } timeline { action toStatus at note agency { name } } } }`;

function trackView(main: HTMLElement): void {
  const alert = liveRegion('alert');
  const tracking = field('portal.field.trackingId', h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: sessionPrefill?.trackingId }), { apiField: 'trackingId' });
  const token = field('portal.field.token', h('input', { type: 'password', autocomplete: 'off', value: sessionPrefill?.token }), { hint: 'portal.hint.token', apiField: 'reporterToken' });
  const result = h('div', { class: 'tracked' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'track-heading' }, h('h2', { id: 'track-heading' }, t('portal.track.heading')), tracking.wrapper, token.wrapper, alert, h('button', { type: 'submit', class: 'primary' }, t('portal.track.submit')));
  main.append(form, result);
  const load = async () => {
    const data = await gql<{ complaintByTrackingId: TrackedComplaint | null }>(TRACK, { trackingId: tracking.control.value.trim(), reporterToken: token.control.value.trim() });
    if (!data.complaintByTrackingId) {
      alert.textContent = t('portal.track.not-found');
      replace(result);
      return;
    }
    alert.textContent = '';
    await showComplaint(result, data.complaintByTrackingId, { trackingId: tracking.control.value.trim(), token: token.control.value.trim() }, load);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, alert, [
      { control: tracking.control, field: 'trackingId', valid: lineText(40) },
      { control: token.control, field: 'reporterToken', valid: lineText(200) },
    ])) return;
    try {
      await load();
    } catch (error) {
      showFailure(form, alert, error);
    }
  });
  if (sessionPrefill) form.requestSubmit();
}

async function showComplaint(container: HTMLElement, complaint: TrackedComplaint, secret: { trackingId: string; token: string }, reload: () => Promise<void>): Promise<void> {
  const holder = complaint.assignedAgency ?? complaint.addressedAgency;
  const zone = holder?.timeZone ?? 'Asia/Jakarta';
  const deadline = async (label: MessageKey, iso: string | null) =>
    iso ? [h('dt', {}, t(label)), h('dd', {}, formatDateTime(iso, zone), ' ', h('span', { class: 'countdown' }, `(${await countdown(iso, zone)})`))] : [];
  const open = !['CLOSED', 'REJECTED'].includes(complaint.status);
  const heading = h('h2', { id: 'complaint-heading', tabindex: '-1' }, complaint.title);
  replace(
    container,
    h(
      'section',
      { 'aria-labelledby': 'complaint-heading' },
      heading,
      h(
        'dl',
        { class: 'facts' },
        statusFact(complaint),
        h('dt', {}, t('common.type')),
        h('dd', {}, t(`type.${complaint.type}` as MessageKey)),
        holder ? [h('dt', {}, t('common.agency')), h('dd', {}, holder.name)] : [],
        h('dt', {}, t('common.submitted')),
        h('dd', {}, formatDateTime(complaint.submittedAt, zone)),
        open && complaint.status === 'SUBMITTED' ? await deadline('deadline.verify', complaint.verifyDueAt) : [],
        open && complaint.status === 'FORWARDED' ? await deadline('deadline.followUp', complaint.followUpDueAt) : [],
        open && complaint.status === 'FOLLOWED_UP' ? await deadline('deadline.closes', complaint.closesAt) : [],
        complaint.rejectionReason ? [h('dt', {}, t('portal.rejection')), h('dd', {}, complaint.rejectionReason)] : [],
      ),
      complaint.attachments.length ? [h('h3', {}, t('attachment.heading')), attachmentList(complaint.attachments)] : null,
      complaint.followUps.length
        ? [h('h3', {}, t('portal.followUps')), h('ul', { class: 'follow-ups' }, complaint.followUps.map((item) => h('li', {}, h('p', {}, item.body), attachmentList(item.attachments), h('p', { class: 'meta' }, `${item.agency?.name ?? ''} · ${formatDateTime(item.postedAt, zone)}`))))]
        : null,
      h('h3', {}, t('common.timeline')),
      timelineList(complaint.timeline, zone),
      complaint.status === 'FOLLOWED_UP' ? replyForm(secret, reload) : null,
    ),
  );
  heading.focus();
}

/** The reporter's answer to the follow-up: satisfied closes, not satisfied sends it back with a fresh deadline; a rating (1–5) is optional. */
function replyForm(secret: { trackingId: string; token: string }, reload: () => Promise<void>): HTMLElement {
  const alert = liveRegion('alert');
  const body = field('portal.field.reply', h('textarea', { rows: 4, maxlength: 4000 }), { apiField: 'input.body' });
  const form = h(
    'form',
    { novalidate: true, class: 'reply', 'aria-labelledby': 'reply-heading' },
    h('h3', { id: 'reply-heading' }, t('portal.reply.heading')),
    radioGroup('portal.reply.satisfied', 'satisfied', [
      { value: 'true', label: 'portal.reply.yes', hint: 'portal.reply.yes.hint' },
      { value: 'false', label: 'portal.reply.no', hint: 'portal.reply.no.hint' },
    ], 'true'),
    radioGroup('portal.reply.rating', 'rating', [
      { value: '', label: 'portal.reply.rating.none' },
      ...[5, 4, 3, 2, 1].map((value) => ({ value: String(value), label: `portal.reply.rating.${value}` as MessageKey })),
    ], ''),
    body.wrapper,
    alert,
    h('button', { type: 'submit', class: 'primary' }, t('portal.reply.submit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, alert, [{ control: body.control, field: 'input.body', valid: multilineText(4000) }])) return;
    try {
      await gql(`mutation($input: ReplyToComplaintInput!) { replyToComplaint(input: $input) { complaint { status } } }`, {
        input: { trackingId: secret.trackingId, reporterToken: secret.token, body: body.control.value, satisfied: form.querySelector<HTMLInputElement>('input[name="satisfied"]:checked')?.value === 'true', rating: Number(form.querySelector<HTMLInputElement>('input[name="rating"]:checked')?.value) || null },
      });
      await reload();
    } catch (error) {
      showFailure(form, alert, error);
    }
  });
  return form;
}

interface RegencyAreas {
  districts: { code: string; name: string; villages: { code: string; name: string }[] }[];
}

/** One regency's districts and villages, from the gateway (a few KB each), asked once per regency. */
const areasByRegency = new Map<string, Promise<RegencyAreas | null>>();

function regencyAreas(code: string): Promise<RegencyAreas | null> {
  let areas = areasByRegency.get(code);
  if (!areas) {
    areas = fetch(`/pages/areas/${code}.json`, { credentials: 'omit' }).then((response) => (response.ok ? (response.json() as Promise<RegencyAreas>) : null));
    areas.catch(() => areasByRegency.delete(code));
    areasByRegency.set(code, areas);
  }
  return areas;
}

/**
 * The district (kecamatan) and village (desa/kelurahan) of the place, both optional, offered once a
 * regency or city is picked: the official codes the API checks (`input.districtCode`, `input.villageCode`).
 */
function areaFields(): { element: HTMLElement; district: Field; village: Field; regency: (code: string | null) => Promise<void> } {
  const district = field('portal.field.district', h('select', { disabled: true }), { hint: 'portal.hint.district', apiField: 'input.districtCode' });
  const village = field('portal.field.village', h('select', { disabled: true }), { apiField: 'input.villageCode' });
  const none = () => h('option', { value: '' }, t('portal.area.none'));
  let areas: RegencyAreas | null = null;
  const fillVillages = () => {
    const chosen = areas?.districts.find((item) => item.code === district.control.value);
    replace(village.control, none(), chosen?.villages.map((item) => h('option', { value: item.code }, item.name)));
    village.control.disabled = !chosen;
  };
  district.control.addEventListener('change', fillVillages);
  const regency = async (code: string | null) => {
    areas = code && /^\d{2}\.\d{2}$/.test(code) ? await regencyAreas(code).catch(() => null) : null;
    replace(district.control, none(), areas?.districts.map((item) => h('option', { value: item.code }, item.name)));
    district.control.disabled = !areas;
    fillVillages();
  };
  void regency(null);
  return { element: h('div', { class: 'area' }, district.wrapper, village.wrapper), district, village, regency };
}

interface ListedComplaint {
  id: string;
  trackingId: string;
  title: string;
  body: string;
  status: string;
  overdue: boolean;
  submittedAt: string;
  supportCount: number;
  category: { name: string } | null;
  addressedAgency: { name: string; timeZone: string } | null;
  assignedAgency: { name: string; timeZone: string } | null;
}

const PUBLIC_PAGE = 10;

const LISTING = `query($search: String, $regionCode: String, $categoryId: ID, $after: String) {
  publicComplaints(search: $search, regionCode: $regionCode, categoryId: $categoryId, first: ${PUBLIC_PAGE}, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id trackingId title body status overdue submittedAt supportCount category { name } addressedAgency { name timeZone } assignedAgency { name timeZone } } } } }`;

/** The public listing (what is neither confidential nor supervisory), newest first or by the search's words, a page at a time. */
function listView(main: HTMLElement): void {
  const alert = liveRegion('alert');
  const search = field('portal.field.search', h('input', { type: 'search', maxlength: 200, autocomplete: 'off' }), { hint: 'portal.hint.search', apiField: 'search' });
  const category = field('portal.field.category', h('select', {}, h('option', { value: '' }, t('portal.list.any-category'))), { apiField: 'categoryId' });
  let regionCode: string | null = null;
  const place = agencyPicker({ label: 'portal.field.place', hint: 'portal.hint.list-place', query: REGION_SEARCH, apiField: 'regionCode', onPick: (agency) => (regionCode = agency?.regionCode ?? null) });
  const form = h('form', { novalidate: true, role: 'search', 'aria-labelledby': 'list-heading' }, h('h2', { id: 'list-heading' }, t('portal.list.heading')), h('p', {}, t('portal.list.intro')), search.wrapper, category.wrapper, place.element, alert, h('button', { type: 'submit', class: 'primary' }, t('portal.list.submit')));
  const summary = h('p', { 'aria-live': 'polite', 'data-testid': 'public-count' });
  const list = h('ul', { class: 'inbox public-list', 'aria-labelledby': 'list-heading' });
  const more = h('button', { type: 'button', hidden: true }, t('portal.list.more'));
  main.append(form, summary, list, more);
  void gql<{ categories: { id: string; name: string }[] }>('{ categories { id name } }').then(({ categories }) => {
    for (const item of categories) category.control.append(h('option', { value: item.id }, item.name));
  });
  let after: string | null = null;
  let asked: Record<string, unknown> = {};
  const load = async () => {
    const data = await gql<{ publicComplaints: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: ListedComplaint }[] } }>(LISTING, { ...asked, after });
    const page = data.publicComplaints;
    summary.textContent = t('portal.list.count', { count: formatNumber(page.totalCount) });
    for (const { node } of page.edges) list.append(listedItem(node));
    more.hidden = !page.pageInfo.hasNextPage;
    after = page.pageInfo.endCursor;
  };
  const fresh = async () => {
    asked = { search: search.control.value.trim() || null, regionCode, categoryId: category.control.value || null };
    after = null;
    replace(list);
    await load();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, alert, [{ control: search.control, field: 'search', valid: optional(lineText(200)) }])) return;
    await fresh().catch((error) => showFailure(form, alert, error));
  });
  more.addEventListener('click', () => void load().catch((error) => showFailure(form, alert, error)));
  void fresh().catch((error) => showFailure(form, alert, error));
}

function listedItem(complaint: ListedComplaint): HTMLElement {
  const holder = complaint.assignedAgency ?? complaint.addressedAgency;
  const count = h('span', { 'data-testid': 'support-count' }, formatNumber(complaint.supportCount));
  const headingId = `listed-${complaint.id}`;
  const item = h(
    'li',
    { 'data-testid': 'public-item', 'data-complaint-id': complaint.id },
    h('h3', { id: headingId }, complaint.title),
    h('p', { class: 'meta' }, h('span', { class: 'tracking' }, complaint.trackingId), ' · ', h('span', { class: `status status-${complaint.status}` }, t(`status.${complaint.status}` as MessageKey)), complaint.overdue ? h('span', { class: 'overdue' }, ` · ${t('common.overdue')}`) : null, ' · ', formatDateTime(complaint.submittedAt, holder?.timeZone), holder ? ` · ${holder.name}` : '', complaint.category ? ` · ${complaint.category.name}` : ''),
    h('p', { class: 'listed-body' }, complaint.body.length > 280 ? `${complaint.body.slice(0, 280)}…` : complaint.body),
    h('p', {}, t('portal.support.count'), ' ', count),
  );
  const open = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-describedby': headingId }, t('portal.support.open'));
  open.addEventListener('click', () => {
    open.replaceWith(supportForm(complaint, count, headingId));
  });
  item.append(open);
  return item;
}

/** "Me too": one idempotency key per filled-in form, so a retry after a lost answer counts once; the contact is optional. */
function supportForm(complaint: ListedComplaint, count: HTMLElement, headingId: string): HTMLElement {
  const alert = liveRegion('alert');
  const mail = field('portal.field.email', h('input', { type: 'email', maxlength: 254, autocomplete: 'email', inputmode: 'email' }), { apiField: 'input.reporter.email' });
  const tel = field('portal.field.phone', h('input', { type: 'tel', maxlength: 16, autocomplete: 'tel', inputmode: 'tel' }), { apiField: 'input.reporter.phone' });
  let idempotencyKey = crypto.randomUUID();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('portal.support.submit'));
  const form = h('form', { novalidate: true, class: 'support', 'aria-labelledby': headingId }, h('p', { class: 'hint' }, t('portal.support.hint')), mail.wrapper, tel.wrapper, alert, submit);
  form.addEventListener('input', () => (idempotencyKey = crypto.randomUUID()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, alert, [
      { control: mail.control, field: 'input.reporter.email', valid: optional(email) },
      { control: tel.control, field: 'input.reporter.phone', valid: optional(phone) },
    ])) return;
    const contact = { email: mail.control.value.trim() || null, phone: tel.control.value.trim() || null };
    submit.disabled = true;
    alert.textContent = t('common.sending');
    try {
      const data = await gql<{ supportComplaint: { complaint: { supportCount: number } } }>('mutation($input: SupportComplaintInput!) { supportComplaint(input: $input) { complaint { supportCount } } }', {
        input: { complaintId: complaint.id, idempotencyKey, reporter: contact.email || contact.phone ? contact : null },
      });
      count.textContent = formatNumber(data.supportComplaint.complaint.supportCount);
      replace(form, h('p', { class: 'good', role: 'status', 'data-testid': 'supported' }, t('portal.support.done')));
    } catch (error) {
      submit.disabled = false;
      showFailure(form, alert, error);
    }
  });
  return form;
}

window.addEventListener('hashchange', route);
route();
