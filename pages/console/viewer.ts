import { meta } from '../shared/dom';

export const ROLES = ['NATIONAL_ADMIN', 'AGENCY_ADMIN', 'LIAISON_OFFICER', 'INSPECTOR', 'AGENCY_SYSTEM', 'DASHBOARD'] as const;

export interface Viewer {
  sub: string;
  role: (typeof ROLES)[number];
  agencyId: string;
  /** When the session ends (ms since the epoch). */
  exp: number;
}

/** The officer the gateway put in the page from the session cookie (the cookie itself is httpOnly). */
export function signedInViewer(): Viewer | null {
  const raw = meta('viewer');
  if (!raw) return null;
  const viewer = JSON.parse(raw) as Viewer;
  return viewer.exp > Date.now() ? viewer : null;
}
