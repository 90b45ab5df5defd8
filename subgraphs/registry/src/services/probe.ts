import { GATEWAY_CREDENTIAL_HEADER, nonPublicResolution, urlHost } from '@lapor-hub/lib';
import type { RegistryContext } from '../context';
import type { NodeSubgraphCandidate } from '../domain/candidate';
import { sdlMismatches } from '../domain/changes';
import type { CheckFindings } from '../domain/messages';

const SERVICE_SDL_QUERY = JSON.stringify({ query: '{ _service { sdl } }' });
/** Shown of an SDL mismatch; the rest is counted. */
const MISMATCHES_SHOWN = 5;

/** Where the candidate's host points; a name that does not resolve is unreachable. */
async function privateAddressFindings(url: string): Promise<CheckFindings | null> {
  const resolution = await nonPublicResolution(url);
  if (resolution.kind === 'public') return null;
  if (resolution.kind === 'unresolvable') return { errors: [{ code: 'URL_UNREACHABLE', message: `${urlHost(url)} does not resolve` }], warnings: [] };
  return {
    errors: [{ code: 'PRIVATE_URL', message: `${urlHost(url)} is a loopback or private address (${resolution.address}); the hub does not allow those` }],
    warnings: [],
  };
}

/** The SDL the URL serves, asked as the gateway asks (with a credential for this namespace); a reason when it cannot be had. */
async function servedSdl(context: RegistryContext, candidate: NodeSubgraphCandidate): Promise<{ sdl: string } | { problem: string }> {
  const { settings } = context;
  try {
    const credential = await settings.signCredential(candidate.namespace, { kind: 'public' }, SERVICE_SDL_QUERY);
    const response = await fetch(candidate.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
      body: SERVICE_SDL_QUERY,
      redirect: 'error',
      signal: AbortSignal.timeout(settings.probeTimeoutMs),
    });
    const body = (await response.json().catch(() => null)) as { data?: { _service?: { sdl?: unknown } } } | null;
    const sdl = body?.data?._service?.sdl;
    if (!response.ok || typeof sdl !== 'string') return { problem: `${candidate.url} answered HTTP ${response.status} without _service { sdl }` };
    return { sdl };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${settings.probeTimeoutMs} ms` : 'the connection failed';
    return { problem: `${candidate.url} did not answer _service { sdl }: ${reason}` };
  }
}

/**
 * What the candidate's URL says: it is not private (unless the hub allows it), it answers
 * `_service { sdl }` in time, and with the submitted schema.
 */
export async function probeNodeSubgraph(context: RegistryContext, candidate: NodeSubgraphCandidate): Promise<CheckFindings> {
  if (!context.settings.allowPrivateUrls) {
    const refused = await privateAddressFindings(candidate.url);
    if (refused) return refused;
  }
  const served = await servedSdl(context, candidate);
  if ('problem' in served) return { errors: [{ code: 'URL_UNREACHABLE', message: served.problem }], warnings: [] };
  let mismatches: string[];
  try {
    mismatches = await sdlMismatches(candidate.sdl, served.sdl);
  } catch (error) {
    return { errors: [{ code: 'SDL_MISMATCH', message: `The SDL served at ${candidate.url} is not a subgraph schema: ${(error as Error).message}` }], warnings: [] };
  }
  if (mismatches.length === 0) return { errors: [], warnings: [] };
  const more = mismatches.length > MISMATCHES_SHOWN ? ` (and ${mismatches.length - MISMATCHES_SHOWN} more)` : '';
  return {
    errors: [{ code: 'SDL_MISMATCH', message: `${candidate.url} serves another schema than the submitted one: ${mismatches.slice(0, MISMATCHES_SHOWN).join('; ')}${more}` }],
    warnings: [],
  };
}
