import { gql } from './api';
import { h, replace } from './dom';
import { t, type MessageKey } from './i18n';

export interface PickedAgency {
  id: string;
  name: string;
  kind: string;
  regionCode: string | null;
  parentName: string | null;
}

interface AgencyNode {
  id: string;
  name: string;
  kind: string;
  regionCode: string | null;
  parent: { name: string } | null;
}

const NODE = 'edges { node { id name kind regionCode parent { name } } }';

/** Regions: provinces, regencies and cities (the codes routing knows today). */
export const REGION_SEARCH = `query($search: String!) {
  provinces: agencies(kind: PROVINCE, search: $search, first: 5) { ${NODE} }
  regencies: agencies(kind: REGENCY, search: $search, first: 8) { ${NODE} }
  cities: agencies(kind: CITY, search: $search, first: 5) { ${NODE} }
}`;

/** Any node of the hub (for forwarding, escalating, signing in as an officer). */
export const NODE_SEARCH = `query($search: String!) { nodes: agencies(search: $search, first: 12) { ${NODE} } }`;

/**
 * A searchable picker over the hub's nodes, from the public `agencies` query: a search box, the
 * matches as buttons (keyboard and screen-reader friendly, announced by count), and the choice.
 */
export function agencyPicker(options: {
  label: MessageKey;
  hint: MessageKey;
  query: string;
  apiField: string;
  onPick: (agency: PickedAgency | null) => void;
  session?: boolean;
}): { element: HTMLElement; input: HTMLInputElement; picked: () => PickedAgency | null } {
  let picked: PickedAgency | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const id = `picker-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', { type: 'search', id, autocomplete: 'off', 'aria-describedby': `${id}-hint ${id}-chosen ${id}-error`, 'aria-controls': `${id}-results` });
  input.dataset.apiField = options.apiField;
  const results = h('ul', { class: 'picker-results', id: `${id}-results`, 'aria-label': t('picker.results') });
  const count = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const chosen = h('p', { class: 'picker-chosen', id: `${id}-chosen`, 'aria-live': 'polite' }, t('picker.none'));
  const choose = (agency: PickedAgency | null) => {
    picked = agency;
    replace(chosen, agency ? t('picker.chosen', { name: describe(agency) }) : t('picker.none'));
    options.onPick(agency);
  };
  const search = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (text.length < 2) {
      replace(results);
      count.textContent = '';
      return;
    }
    const data = await gql<Record<string, { edges: { node: AgencyNode }[] }>>(options.query, { search: text }, { session: options.session });
    if (mine !== asked) return;
    const nodes = Object.values(data).flatMap((connection) => connection.edges.map((edge) => edge.node));
    replace(
      results,
      nodes.map((node) => {
        const agency: PickedAgency = { id: node.id, name: node.name, kind: node.kind, regionCode: node.regionCode, parentName: node.parent?.name ?? null };
        return h('li', {}, h('button', { type: 'button', class: 'picker-option', 'data-agency-id': node.id, onclick: () => (choose(agency), replace(results), input.focus()) }, describe(agency)));
      }),
    );
    count.textContent = t('picker.count', { count: String(nodes.length) });
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search().catch(() => (count.textContent = t('error.code.NETWORK'))), 250);
  });
  const element = h(
    'div',
    { class: 'field picker' },
    h('label', { for: id }, t(options.label)),
    h('p', { class: 'hint', id: `${id}-hint` }, t(options.hint)),
    input,
    count,
    results,
    chosen,
    h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }),
  );
  return { element, input, picked: () => picked };
}

function describe(agency: PickedAgency): string {
  const code = agency.regionCode ? ` (${agency.regionCode})` : '';
  const parent = agency.parentName && agency.kind !== 'PROVINCE' ? ` — ${agency.parentName}` : '';
  return `${agency.name}${code}${parent}`;
}
