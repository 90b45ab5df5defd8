import { ApiFailure } from './api';
import { field, h, liveRegion, meta, replace, setFieldError } from './dom';
import { formatBytes } from './format';
import { t, tMaybe, type MessageKey } from './i18n';

/*
 * Evidence (photos and PDFs) on the public API: picked in a form, uploaded with `POST /attachments`
 * when the form is sent (nothing leaves the phone before the person sends it), then named in the
 * mutation's `attachmentIds` with the upload session's `uploadToken`; and shown on a complaint.
 */

/** The API's rules: at most 5 files (the complaints service), these types by content (the gateway). */
const MAX_FILES = 5;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

/** A refusal that is about the file itself: sending it again cannot help, so it leaves the list. */
const ABOUT_THE_FILE = new Set(['PAYLOAD_TOO_LARGE', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** A proxy's answer may be no JSON of ours: its status still says what happened. */
const CODE_OF_STATUS: Record<number, string> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
  thumbnailUrl: string | null;
}

/** The selection of `Complaint.attachments` and `FollowUp.attachments` the pages show. */
export const ATTACHMENTS = 'attachments { id filename contentType size url thumbnailUrl }';

/** What a form adds to its mutation's input: nothing without files. */
export type Uploads = { attachmentIds?: string[]; uploadToken?: string };

/** What the hub already holds of a form's files (their ids and the session's token), for a form built again. */
export interface SavedUploads {
  token: string;
  items: { name: string; size: number; id: string }[];
}

export interface EvidencePicker {
  element: HTMLElement;
  control: HTMLInputElement;
  /** Uploads the files not sent yet, one at a time, saying so in the live region; null when one failed (its error is at the field, which has the focus). */
  upload(): Promise<Uploads | null>;
  /**
   * The mutation's failure as the form should show it: when the API refused the uploads (a day
   * old, or claimed already), they are forgotten, so that sending again uploads the files anew,
   * and the failure is the file field's.
   */
  refused(error: unknown): unknown;
}

interface Item {
  name: string;
  size: number;
  file: File | null;
  id: string | null;
}

async function send(file: File, token: string | null): Promise<{ id: string; uploadToken: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/attachments', { method: 'POST', body, credentials: 'omit', headers: token ? { 'x-upload-token': token } : {} });
  } catch {
    throw new ApiFailure('NETWORK', null, []);
  }
  const answer = (await response.json().catch(() => null)) as { id?: string; uploadToken?: string; errors?: { extensions?: { code?: string } }[] } | null;
  if (response.ok && answer?.id && answer.uploadToken) return { id: answer.id, uploadToken: answer.uploadToken };
  throw new ApiFailure(answer?.errors?.[0]?.extensions?.code ?? CODE_OF_STATUS[response.status] ?? 'SERVICE_UNAVAILABLE', null, []);
}

/**
 * An optional file field for up to 5 photos or PDFs: each chosen file listed with its size and a
 * remove button; the limits and what happens to a photo's metadata said before the choice.
 * `apiField` is where the API reports a refused `attachmentIds`.
 */
export function evidencePicker(options: { label: MessageKey; apiField: string; saved?: SavedUploads | null; onSave?: (saved: SavedUploads | null) => void }): EvidencePicker {
  const maxBytes = Number(meta('upload-max-bytes'));
  const size = formatBytes(maxBytes);
  const control = h('input', { type: 'file', multiple: true, accept: [...ACCEPTED, '.jpg', '.jpeg', '.png', '.webp', '.pdf'].join(',') });
  const input = field(options.label, control, { hint: 'upload.hint', hintParams: { size, max: String(MAX_FILES) }, apiField: options.apiField });
  const privacy = h('p', { class: 'hint', id: `${control.id}-privacy` }, t('upload.privacy'));
  control.setAttribute('aria-describedby', `${privacy.id} ${control.getAttribute('aria-describedby')}`);
  control.before(privacy);
  const status = liveRegion('status');
  const list = h('ul', { class: 'evidence-list', 'aria-label': t('upload.chosen') });
  input.wrapper.append(list, status);
  input.wrapper.classList.add('evidence');
  let token: string | null = options.saved?.token ?? null;
  const items: Item[] = options.saved?.items.map((item) => ({ ...item, file: null })) ?? [];

  const render = () => {
    replace(
      list,
      items.map((item, index) =>
        h(
          'li',
          { 'data-testid': 'chosen-file' },
          h('span', { class: 'evidence-name' }, item.name),
          ' ',
          h('span', { class: 'meta' }, formatBytes(item.size), item.id ? ` · ${t('upload.uploaded')}` : ''),
          ' ',
          h('button', { type: 'button', class: 'link', onclick: () => remove(index) }, t('upload.remove'), h('span', { class: 'visually-hidden' }, ` ${item.name}`)),
        ),
      ),
    );
    list.hidden = !items.length;
    const kept = items.filter((item): item is Item & { id: string } => item.id !== null);
    options.onSave?.(token && kept.length ? { token, items: kept.map(({ name, size: bytes, id }) => ({ name, size: bytes, id })) } : null);
  };
  // The form's own "input" listeners (a fresh idempotency key) learn of every change of the files.
  const changed = () => input.wrapper.dispatchEvent(new Event('input', { bubbles: true }));
  const remove = (index: number) => {
    const [gone] = items.splice(index, 1);
    render();
    setFieldError(control, null);
    status.textContent = t('upload.removed', { name: gone.name });
    (list.querySelectorAll('button')[Math.min(index, items.length - 1)] ?? control).focus();
    changed();
  };
  control.addEventListener('change', () => {
    const refused: string[] = [];
    for (const file of control.files ?? []) {
      // An empty type (some phones' file providers) is for the gateway to judge by the content.
      if (file.type && !ACCEPTED.includes(file.type)) refused.push(t('upload.error.UNSUPPORTED_MEDIA_TYPE', { name: file.name }));
      else if (file.size > maxBytes) refused.push(t('upload.error.PAYLOAD_TOO_LARGE', { name: file.name, size }));
      else if (items.length >= MAX_FILES) refused.push(t('upload.error.too-many', { name: file.name, max: String(MAX_FILES) }));
      else items.push({ name: file.name, size: file.size, file, id: null });
    }
    // The list is what is sent; the control is emptied so that the same file can be chosen again after removing it.
    control.value = '';
    render();
    setFieldError(control, refused.length ? refused.join(' ') : null);
    status.textContent = t('upload.count', { count: String(items.length), max: String(MAX_FILES) });
  });
  render();

  return {
    element: input.wrapper,
    control,
    async upload() {
      const pending = items.filter((item) => item.id === null && item.file);
      for (const [index, item] of pending.entries()) {
        status.textContent = t('upload.progress', { n: String(index + 1), total: String(pending.length), name: item.name });
        try {
          const answer = await send(item.file!, token);
          item.id = answer.id;
          token = answer.uploadToken;
        } catch (error) {
          const code = error instanceof ApiFailure ? error.code : 'SERVICE_UNAVAILABLE';
          if (ABOUT_THE_FILE.has(code)) items.splice(items.indexOf(item), 1);
          render();
          status.textContent = '';
          const params = { name: item.name, size };
          setFieldError(control, tMaybe(`upload.error.${code}`, params) ?? t('upload.error.other', params));
          control.focus();
          return null;
        }
      }
      render();
      if (pending.length) status.textContent = t('upload.done');
      return items.length && token ? { attachmentIds: items.map((item) => item.id!), uploadToken: token } : {};
    },
    refused(error) {
      if (!(error instanceof ApiFailure) || !['input.attachmentIds', 'input.uploadToken'].includes(error.field ?? '')) return error;
      token = null;
      for (const item of [...items]) {
        if (item.file) item.id = null;
        else items.splice(items.indexOf(item), 1);
      }
      render();
      return new ApiFailure(error.code, options.apiField, error.errors);
    },
  };
}

/** A complaint's or a follow-up's files: a photo as its thumbnail (the full photo in a new tab), a PDF as a download. */
export function attachmentList(attachments: Attachment[]): HTMLElement | null {
  if (!attachments.length) return null;
  return h(
    'ul',
    { class: 'attachments', 'data-testid': 'attachments' },
    attachments.map((item) => {
      const pdf = item.contentType === 'application/pdf';
      const facts = h('span', { class: 'meta' }, `${t(pdf ? 'attachment.pdf' : 'attachment.photo')} · ${formatBytes(item.size)}`);
      return h(
        'li',
        { 'data-content-type': item.contentType },
        pdf || !item.thumbnailUrl
          ? h('a', { href: item.url, download: item.filename }, t('attachment.download', { name: item.filename }))
          : h('a', { href: item.url, target: '_blank', rel: 'noopener' }, h('img', { src: item.thumbnailUrl, alt: '', loading: 'lazy' }), h('span', {}, item.filename), h('span', { class: 'visually-hidden' }, ` ${t('attachment.new-tab')}`)),
        ' ',
        facts,
      );
    }),
  );
}
