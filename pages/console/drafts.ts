/*
 * What an officer types is kept in sessionStorage as they type (this tab only, gone with it), so
 * neither a CONFLICT reload nor a sign-in after an expired session loses it.
 */
const PREFIX = 'lapor-draft:';

export function rememberDraft(control: HTMLTextAreaElement | HTMLInputElement, key: string): void {
  const saved = sessionStorage.getItem(PREFIX + key);
  if (saved !== null) control.value = saved;
  control.addEventListener('input', () => sessionStorage.setItem(PREFIX + key, control.value));
}

export function forgetDraft(key: string): void {
  sessionStorage.removeItem(PREFIX + key);
}
