import type { SavedUploads } from '../shared/evidence';

/*
 * What an officer types (and the evidence they uploaded) is kept in sessionStorage as they go
 * (this tab only, gone with it), so neither a CONFLICT reload nor a sign-in after an expired
 * session loses it.
 */
const PREFIX = 'lapor-draft:';

export function rememberDraft(control: HTMLTextAreaElement | HTMLInputElement, key: string): void {
  const saved = sessionStorage.getItem(PREFIX + key);
  if (saved !== null) control.value = saved;
  control.addEventListener('input', () => sessionStorage.setItem(PREFIX + key, control.value));
}

/** The files an officer already uploaded for a form: their ids and the upload session's token, never the bytes. */
export function uploadsDraft(key: string): { saved: SavedUploads | null; save: (saved: SavedUploads | null) => void } {
  let saved: SavedUploads | null = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(PREFIX + key) ?? 'null') as SavedUploads | null;
  } catch {
    sessionStorage.removeItem(PREFIX + key);
  }
  return {
    saved,
    save: (next) => (next ? sessionStorage.setItem(PREFIX + key, JSON.stringify(next)) : sessionStorage.removeItem(PREFIX + key)),
  };
}

export function forgetDraft(key: string): void {
  sessionStorage.removeItem(PREFIX + key);
}
