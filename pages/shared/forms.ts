import { ApiFailure } from './api';
import { clearFieldErrors, setFieldError } from './dom';
import { t, tMaybe } from './i18n';

/** The API's message for a field (`input.title`), in the page's language; a generic one when the catalog has none. */
export function fieldMessage(field: string): string {
  return tMaybe(`field.${field}`) ?? t('error.code.BAD_USER_INPUT');
}

export function codeMessage(code: string): string {
  return tMaybe(`error.code.${code}`) ?? t('error.code.INTERNAL_SERVER_ERROR');
}

/**
 * Shows an API failure where the person will look: a coded field error under its control (which
 * gets the focus), anything else in the form's alert line. Never the raw message or a stack.
 */
export function showFailure(form: HTMLElement, alert: HTMLElement, error: unknown): void {
  clearFieldErrors(form);
  const failure = error instanceof ApiFailure ? error : new ApiFailure('INTERNAL_SERVER_ERROR', null, []);
  const control = failure.field ? form.querySelector<HTMLElement>(`[data-api-field="${CSS.escape(failure.field)}"]`) : null;
  if (control) {
    setFieldError(control, fieldMessage(failure.field!));
    alert.textContent = t('error.fix-fields');
    control.focus();
    return;
  }
  alert.textContent = failure.field ? `${codeMessage(failure.code)} (${fieldMessage(failure.field)})` : codeMessage(failure.code);
}

export interface Rule {
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  /** The API field it answers for; its catalog message is shown on failure. */
  field: string;
  valid: (value: string) => boolean;
}

/** The API's own rules, checked before sending so a person learns at once; the first failure gets the focus. */
export function validate(form: HTMLElement, alert: HTMLElement, rules: Rule[]): boolean {
  clearFieldErrors(form);
  alert.textContent = '';
  const failed = rules.filter((rule) => !rule.valid(rule.control.value));
  for (const rule of failed) setFieldError(rule.control, fieldMessage(rule.field));
  if (failed.length) {
    alert.textContent = t('error.fix-fields');
    failed[0].control.focus();
  }
  return failed.length === 0;
}

// The API's text rules (lib/src/text.ts): trimmed, within bounds, no control characters.
const CONTROL = /\p{Cc}/u;
export const lineText = (max: number, min = 1) => (value: string) => value.trim().length >= min && value.trim().length <= max && !CONTROL.test(value);
export const multilineText = (max: number, min = 1) => (value: string) =>
  value.trim().length >= min && value.trim().length <= max && !CONTROL.test(value.replace(/[\n\r\t]/g, ''));
export const optional = (rule: (value: string) => boolean) => (value: string) => value.trim() === '' || rule(value);
export const email = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) && value.trim().length <= 254;
export const phone = (value: string) => /^\+?[0-9]{6,15}$/.test(value.trim());
