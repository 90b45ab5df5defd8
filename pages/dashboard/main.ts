import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { ApiFailure, gql } from '../shared/api';
import { field, h, liveRegion, replace } from '../shared/dom';
import { formatNumber, formatPercent } from '../shared/format';
import { codeMessage } from '../shared/forms';
import { currentLanguage, t, type MessageKey } from '../shared/i18n';
import { frame, navLink, withLanguage } from '../shared/layout';
import { signedInViewer } from '../console/viewer';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

const api = <T>(query: string, variables: Record<string, unknown>) => gql<T>(query, variables, { session: true });

interface Ranking {
  rank: number;
  forwarded: number;
  closed: number;
  completionRate: number | null;
  averageRating: number | null;
  ratingCount: number;
  ratingRank: number | null;
  agency: { id: string; name: string } | null;
}

export const DASHBOARD = `query($from: DateTime!, $to: DateTime!, $regionCode: String) { nationalDashboard(from: $from, to: $to, regionCode: $regionCode) {
  stats { total forwarded closed completionRate targetCompletionRate closedByReporter closedBySystem disputed
    overdue { verification followUp } overdueEscalationResponses escalationsReceived byStatus { status count } averageRating ratings { rating count } }
  provinces { ...ranking } regenciesAndCities { ...ranking } ministries { ...ranking } } }
fragment ranking on AgencyRanking { rank forwarded closed completionRate averageRating ratingCount ratingRank agency { id name } }`;

/** Midnight WIB of a `YYYY-MM-DD`: the national dashboard's periods are Indonesian calendar days. */
const startOfDay = (date: string) => `${date}T00:00:00+07:00`;
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const charts: Chart[] = [];

interface Region {
  regionCode: string;
  name: string;
  kind: string;
}

const REGIONS = `query($parentId: ID, $kind: AgencyKind) { agencies(kind: $kind, parentId: $parentId, first: 100) { edges { node { regionCode name kind } } } }`;

/** The provinces, or the regencies and cities of one (`parentId` its node), as the directory names them, by name. */
async function regions(variables: { kind?: string; parentId?: string }): Promise<Region[]> {
  const data = await api<{ agencies: { edges: { node: Region }[] } }>(REGIONS, variables);
  return data.agencies.edges
    .map((edge) => edge.node)
    .filter((node) => node.regionCode && ['PROVINCE', 'REGENCY', 'CITY'].includes(node.kind))
    .sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

/**
 * The region filter: a province, then one of its regencies or cities, from the directory's real
 * regions; answers the code chosen (the regency's, else the province's, else null for the nation).
 */
function regionFilter(chosen: string | null) {
  const province = field('dashboard.field.province', h('select', {}, h('option', { value: '' }, t('dashboard.region.nation'))));
  const regency = field('dashboard.field.regency', h('select', { disabled: true }, h('option', { value: '' }, t('dashboard.region.whole-province'))));
  const provinceSelect = province.control as HTMLSelectElement;
  const regencySelect = regency.control as HTMLSelectElement;
  const fillRegencies = async (wanted: string | null) => {
    const code = provinceSelect.value;
    replace(regencySelect, h('option', { value: '' }, t('dashboard.region.whole-province')));
    regencySelect.disabled = !code;
    if (!code) return;
    const rows = await regions({ parentId: `region-${code}` });
    regencySelect.append(...rows.map((row) => h('option', { value: row.regionCode }, row.name)));
    regencySelect.value = wanted && rows.some((row) => row.regionCode === wanted) ? wanted : '';
  };
  provinceSelect.addEventListener('change', () => void fillRegencies(null));
  const ready = regions({ kind: 'PROVINCE' }).then(async (rows) => {
    provinceSelect.append(...rows.map((row) => h('option', { value: row.regionCode }, row.name)));
    provinceSelect.value = chosen?.slice(0, 2) ?? '';
    await fillRegencies(chosen && chosen.length > 2 ? chosen : null);
  });
  return { wrappers: [province.wrapper, regency.wrapper], ready, value: () => regencySelect.value || provinceSelect.value || null };
}

function route(): void {
  const viewer = signedInViewer();
  const main = frame('dashboard.heading', [navLink('/', 'portal.nav.submit'), navLink('/console', 'console.nav.inbox'), navLink('/dashboard', 'dashboard.nav', true)]);
  if (!viewer || !['DASHBOARD', 'NATIONAL_ADMIN'].includes(viewer.role)) {
    main.append(h('p', {}, t(viewer ? 'dashboard.role-needed' : 'dashboard.sign-in-needed')), h('a', { class: 'button primary', href: withLanguage(`/console/sign-in?return=${encodeURIComponent('/dashboard' + location.search)}`) }, t('console.sign-in.heading')));
    return;
  }
  const params = new URLSearchParams(location.search);
  const year = new Date().getFullYear();
  const from = field('dashboard.field.from', h('input', { type: 'date', value: params.get('from') ?? `${year}-01-01`, required: true }));
  const until = field('dashboard.field.until', h('input', { type: 'date', value: params.get('until') ?? `${year}-12-31`, required: true }));
  const region = regionFilter(params.get('region'));
  const form = h('form', { class: 'filters', 'aria-label': t('dashboard.filters') }, from.wrapper, until.wrapper, ...region.wrappers, h('button', { type: 'submit' }, t('dashboard.apply')));
  const alert = liveRegion('alert');
  const output = h('div', { 'aria-live': 'polite' });
  main.append(form, alert, output);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ from: from.control.value, until: until.control.value });
    const code = region.value();
    if (code) next.set('region', code);
    if (params.get('lang')) next.set('lang', params.get('lang')!);
    history.pushState(null, '', `/dashboard?${next}`);
    route();
  });
  if (from.control.value > until.control.value) return void (alert.textContent = t('dashboard.bad-period'));
  void region.ready.catch(() => (alert.textContent = codeMessage('SERVICE_UNAVAILABLE')));
  void show(output, from.control.value, nextDay(until.control.value), params.get('region')).catch((error) => {
    if (error instanceof ApiFailure && error.code === 'UNAUTHENTICATED') return location.assign(withLanguage(`/console/sign-in?return=${encodeURIComponent('/dashboard' + location.search)}&error=expired`));
    alert.textContent = codeMessage(error instanceof ApiFailure ? error.code : 'INTERNAL_SERVER_ERROR');
  });
}

/** The whole months of a period [from, to) of local dates (the last 12 at most), for the trend: one aliased query. */
export function months(fromDate: string, toDate: string): { alias: string; label: string; from: string; to: string }[] {
  const label = new Intl.DateTimeFormat(currentLanguage() === 'en' ? 'en-GB' : 'id-ID', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const first = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  let [year, month] = fromDate.split('-').map(Number);
  month -= 1;
  if (first(year, month) < fromDate) month += 1;
  const result = [];
  for (;;) {
    const start = first(year, month);
    const end = first(year, month + 1);
    if (end > toDate) break;
    result.push({ alias: `m${result.length}`, label: label.format(new Date(`${start}T00:00:00Z`)), from: startOfDay(start), to: startOfDay(end) });
    month += 1;
  }
  return result.slice(-12);
}

const STATUS_COLOURS: Record<string, string> = { SUBMITTED: '#5b6770', VERIFIED: '#1d5fa8', FORWARDED: '#c77700', FOLLOWED_UP: '#6a3d9a', CLOSED: '#2e7d32', REJECTED: '#b3261e' };

async function show(output: HTMLElement, fromDate: string, toDate: string, regionCode: string | null): Promise<void> {
  for (const chart of charts.splice(0)) chart.destroy();
  const from = startOfDay(fromDate);
  const to = startOfDay(toDate);
  const data = await api<{ nationalDashboard: { stats: any; provinces: Ranking[]; regenciesAndCities: Ranking[]; ministries: Ranking[] } }>(DASHBOARD, { from, to, regionCode });
  const dashboard = data.nationalDashboard;
  const { stats } = dashboard;
  const rate = stats.completionRate;
  const figure = (label: MessageKey, value: string, testid: string) => h('div', { class: 'figure' }, h('dt', {}, t(label)), h('dd', { 'data-testid': testid }, value));
  const trendCanvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.trend.label'), height: 220 });
  const statusCanvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.status.label'), height: 220 });
  const provinceCanvas = h('canvas', { role: 'img', 'aria-label': t('dashboard.provinces.label'), height: 260 });
  const csv = `/export/rankings.csv?${new URLSearchParams({ from, to, ...(regionCode ? { regionCode } : {}) })}`;
  replace(
    output,
    h(
      'section',
      { 'aria-labelledby': 'summary-heading' },
      h('h2', { id: 'summary-heading' }, t('dashboard.summary')),
      h(
        'div',
        { class: 'completion' },
        h('p', { class: 'big', 'data-testid': 'completion-rate' }, formatPercent(rate)),
        h('p', {}, t('dashboard.completion', { target: formatPercent(stats.targetCompletionRate) })),
        h('meter', { min: 0, max: 1, low: stats.targetCompletionRate - 0.0001, optimum: 1, value: rate ?? 0, 'aria-label': t('dashboard.completion.meter') }),
        h('p', { class: rate !== null && rate >= stats.targetCompletionRate ? 'good' : 'bad' }, t(rate !== null && rate >= stats.targetCompletionRate ? 'dashboard.target.met' : 'dashboard.target.missed')),
      ),
      h(
        'dl',
        { class: 'figures' },
        figure('dashboard.total', formatNumber(stats.total), 'total'),
        figure('dashboard.forwarded', formatNumber(stats.forwarded), 'forwarded'),
        figure('dashboard.closed', formatNumber(stats.closed), 'closed'),
        figure('dashboard.overdue.verification', formatNumber(stats.overdue.verification), 'overdue-verification'),
        figure('dashboard.overdue.followUp', formatNumber(stats.overdue.followUp), 'overdue-follow-up'),
        figure('dashboard.overdue.escalations', formatNumber(stats.overdueEscalationResponses), 'overdue-escalations'),
        figure('dashboard.disputed', formatNumber(stats.disputed), 'disputed'),
      ),
      h('p', {}, h('a', { href: csv, download: 'rankings.csv', 'data-testid': 'csv' }, t('dashboard.csv'))),
    ),
    ratingSection(stats.averageRating, stats.ratings),
    h('section', { 'aria-labelledby': 'charts-heading' }, h('h2', { id: 'charts-heading' }, t('dashboard.charts')), h('div', { class: 'charts' }, h('div', { class: 'chart' }, h('h3', {}, t('dashboard.trend')), trendCanvas), h('div', { class: 'chart' }, h('h3', {}, t('dashboard.status')), statusCanvas), h('div', { class: 'chart' }, h('h3', {}, t('dashboard.provinces.chart')), provinceCanvas))),
    rankingTable('dashboard.ranking.provinces', 'provinces', dashboard.provinces),
    rankingTable('dashboard.ranking.regencies', 'regencies', dashboard.regenciesAndCities),
    rankingTable('dashboard.ranking.ministries', 'ministries', dashboard.ministries),
  );
  const target = stats.targetCompletionRate * 100;
  const top = dashboard.provinces.filter((row) => row.completionRate !== null).slice(0, 10);
  charts.push(
    new Chart(provinceCanvas, {
      type: 'bar',
      data: {
        labels: top.map((row) => row.agency?.name ?? '?'),
        datasets: [
          { type: 'bar', label: t('dashboard.completion.short'), data: top.map((row) => (row.completionRate ?? 0) * 100), backgroundColor: '#1d5fa8' },
          { type: 'line', label: t('dashboard.target'), data: top.map(() => target), borderColor: '#b3261e', pointRadius: 0, borderDash: [6, 4] },
        ],
      },
      options: { indexAxis: 'x', responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    }),
    new Chart(statusCanvas, {
      type: 'doughnut',
      data: { labels: stats.byStatus.map((row: any) => t(`status.${row.status}` as MessageKey)), datasets: [{ data: stats.byStatus.map((row: any) => row.count), backgroundColor: stats.byStatus.map((row: any) => STATUS_COLOURS[row.status]) }] },
      options: { responsive: true, maintainAspectRatio: false },
    }),
  );
  const periods = months(fromDate, toDate);
  if (!periods.length) return;
  const trend = await api<Record<string, { stats: { total: number; completionRate: number | null } }>>(
    `query($regionCode: String, ${periods.map((p) => `$${p.alias}f: DateTime!, $${p.alias}t: DateTime!`).join(', ')}) { ${periods.map((p) => `${p.alias}: nationalDashboard(from: $${p.alias}f, to: $${p.alias}t, regionCode: $regionCode) { stats { total completionRate } }`).join(' ')} }`,
    { regionCode, ...Object.fromEntries(periods.flatMap((p) => [[`${p.alias}f`, p.from], [`${p.alias}t`, p.to]])) },
  );
  charts.push(
    new Chart(trendCanvas, {
      type: 'line',
      data: {
        labels: periods.map((p) => p.label),
        datasets: [
          { label: t('dashboard.total'), data: periods.map((p) => trend[p.alias]?.stats.total ?? 0), borderColor: '#1d5fa8', yAxisID: 'y' },
          { label: t('dashboard.completion.short'), data: periods.map((p) => (trend[p.alias]?.stats.completionRate ?? 0) * 100), borderColor: '#2e7d32', yAxisID: 'rate' },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true }, rate: { position: 'right', min: 0, max: 100 } } },
    }),
  );
}

/** The reporters' mean rating and how many gave each value, drawn as bars of the largest count (no canvas: five rows read as a list). */
function ratingSection(average: number | null, ratings: { rating: number; count: number }[]): HTMLElement {
  const total = ratings.reduce((sum, row) => sum + row.count, 0);
  const largest = Math.max(1, ...ratings.map((row) => row.count));
  return h(
    'section',
    { 'aria-labelledby': 'rating-heading' },
    h('h2', { id: 'rating-heading' }, t('dashboard.rating')),
    h('p', { class: 'big', 'data-testid': 'average-rating' }, formatRating(average)),
    h('p', {}, t('dashboard.rating.of', { count: formatNumber(total) })),
    h(
      'ul',
      { class: 'rating-bars', 'data-testid': 'rating-distribution' },
      [...ratings].sort((a, b) => b.rating - a.rating).map((row) =>
        h('li', { 'data-rating': row.rating }, h('span', { class: 'rating-label' }, t('dashboard.rating.value', { rating: String(row.rating) })), h('span', { class: 'rating-bar', style: `width: ${(row.count / largest) * 100}%` }), h('span', { class: 'rating-count' }, formatNumber(row.count))),
      ),
    ),
  );
}

/** `4,3` out of 5, one decimal. */
function formatRating(value: number | null): string {
  return value === null ? '—' : new Intl.NumberFormat(currentLanguage() === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

const SHOWN = 15;

function rankingTable(title: MessageKey, id: string, rows: Ranking[]): HTMLElement {
  const body = h('tbody', {});
  const render = (all: boolean) =>
    replace(
      body,
      (all ? rows : rows.slice(0, SHOWN)).map((row) =>
        h('tr', {}, h('td', {}, formatNumber(row.rank)), h('th', { scope: 'row' }, row.agency?.name ?? '—'), h('td', {}, formatNumber(row.forwarded)), h('td', {}, formatNumber(row.closed)), h('td', { class: row.completionRate !== null && row.completionRate >= 0.9 ? 'good' : '' }, formatPercent(row.completionRate)), h('td', {}, formatRating(row.averageRating)), h('td', {}, formatNumber(row.ratingCount)), h('td', {}, row.ratingRank === null ? '—' : formatNumber(row.ratingRank))),
      ),
    );
  render(false);
  if (!rows.length) body.append(h('tr', {}, h('td', { colspan: 8 }, t('dashboard.no-data'))));
  const toggle = rows.length > SHOWN ? h('button', { type: 'button', 'aria-controls': `${id}-table` }, t('dashboard.show-all', { count: formatNumber(rows.length) })) : null;
  toggle?.addEventListener('click', () => (render(true), toggle.remove()));
  return h(
    'section',
    { 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, t(title)),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': `${id}-heading` }, h('table', { id: `${id}-table`, 'data-testid': `ranking-${id}` }, h('thead', {}, h('tr', {}, ['dashboard.col.rank', 'dashboard.col.agency', 'dashboard.forwarded', 'dashboard.closed', 'dashboard.col.rate', 'dashboard.col.rating', 'dashboard.col.ratingCount', 'dashboard.col.ratingRank'].map((key) => h('th', { scope: 'col' }, t(key as MessageKey))))), body)),
    toggle,
  );
}

window.addEventListener('popstate', route);
route();
