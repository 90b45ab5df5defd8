import { h } from './dom';
import { formatDateTime } from './format';
import { t, type MessageKey } from './i18n';

/** A complaint's status, and "overdue" when its current step's deadline passed. */
export function statusFact(complaint: { status: string; overdue: boolean }): HTMLElement[] {
  return [
    h('dt', {}, t('common.status')),
    h('dd', {}, h('span', { class: `status status-${complaint.status}`, 'data-testid': 'status' }, t(`status.${complaint.status}` as MessageKey)), complaint.overdue ? h('span', { class: 'overdue' }, ` ${t('common.overdue')}`) : null),
  ];
}

interface Entry {
  action: string;
  at: string;
  note: string | null;
  agency: { name: string } | null;
  actorRole?: string | null;
  actorAgency?: { name: string } | null;
}

/** The timeline, oldest first, in the node's time zone; officers also see who took each step. */
export function timelineList(entries: Entry[], zone: string): HTMLElement {
  return h(
    'ol',
    { class: 'timeline' },
    entries.map((entry) =>
      h(
        'li',
        {},
        h('span', { class: 'when' }, formatDateTime(entry.at, zone)),
        ' ',
        t(`action.${entry.action}` as MessageKey),
        entry.agency ? ` — ${entry.agency.name}` : '',
        entry.actorRole ? h('span', { class: 'meta' }, ` (${t(`role.${entry.actorRole}` as MessageKey)}${entry.actorAgency ? `, ${entry.actorAgency.name}` : ''})`) : null,
        entry.note ? h('p', { class: 'note' }, entry.note) : null,
      ),
    ),
  );
}
