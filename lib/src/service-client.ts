import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type AuthSecrets } from './auth';
import { ServiceUnavailableError } from './errors';

/**
 * One hub service calling another subgraph directly, signed as a service (never a user). Used
 * where a subgraph needs another's data and must not read its tables.
 */
export class ServiceClient {
  constructor(
    private readonly url: string,
    private readonly callerName: string,
    private readonly secrets: AuthSecrets,
    private readonly timeoutMs = 5000,
  ) {}

  /** Runs a GraphQL operation; any transport or GraphQL error is `SERVICE_UNAVAILABLE` to callers. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const credential = await signGatewayCredential({ kind: 'service', name: this.callerName }, this.secrets.gatewaySecret);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unavailable(this.url, error);
    }
    const result = (await response.json().catch(() => null)) as { data?: T; errors?: unknown[] } | null;
    if (!response.ok || !result?.data || result.errors) throw unavailable(this.url, result?.errors ?? response.status);
    return result.data;
  }
}

function unavailable(url: string, cause: unknown): ServiceUnavailableError {
  const error = new ServiceUnavailableError('A hub service is unavailable; retry');
  (error as Error & { cause?: unknown; url?: string }).cause = cause;
  (error as Error & { url?: string }).url = url;
  return error;
}
