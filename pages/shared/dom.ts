import { t, type MessageKey } from './i18n';

type Child = Node | string | number | null | undefined | false | Child[];
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/** `h('button', { type: 'submit', onclick }, 'Kirim')`: an element; `on*` attributes are listeners, `false`/`null` ones are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let fieldIds = 0;

export interface Field {
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
}

/**
 * A labelled control with its hint and its error line, tied to the control by
 * `aria-describedby`, so a screen reader reads the error with the field. `apiField` is the API's
 * `extensions.field` (e.g. `input.title`) that this control answers for.
 */
export function field(label: MessageKey, control: Field['control'], options: { hint?: MessageKey; hintParams?: Record<string, string>; apiField?: string } = {}): Field {
  const id = control.id || `field-${++fieldIds}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const hint = options.hint ? h('p', { class: 'hint', id: `${id}-hint` }, t(options.hint, options.hintParams)) : null;
  control.setAttribute('aria-describedby', [hint?.id, error.id].filter(Boolean).join(' '));
  if (options.apiField) control.dataset.apiField = options.apiField;
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, t(label)), hint, control, error);
  return { wrapper, control, error };
}

/** Shows `message` under the control (or clears it with null), marking the control invalid. */
export function setFieldError(control: Element, message: string | null): void {
  const error = document.getElementById(`${control.id}-error`);
  if (error) error.textContent = message ?? '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export function clearFieldErrors(form: Element): void {
  form.querySelectorAll('[aria-invalid]').forEach((control) => setFieldError(control, null));
}

/** A status line read out by screen readers when it changes. */
export function liveRegion(kind: 'status' | 'alert' = 'status'): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind, 'aria-live': kind === 'alert' ? 'assertive' : 'polite' });
}

export function meta(name: string): string | null {
  return document.querySelector<HTMLMetaElement>(`meta[name="lapor-${name}"]`)?.content ?? null;
}
