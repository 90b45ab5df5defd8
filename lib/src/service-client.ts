import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type ServiceSecrets } from './auth';
import { HubError, ServiceUnavailableError, type ErrorCode } from './errors';

// Answers that no retry will change: the call itself is wrong or no longer applies.
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN']);

/** Another hub service refused a call for good (as opposed to being unavailable for now). */
export class ServiceRefusedError extends HubError {
  constructor(
    message: string,
    readonly downstreamCode: string,
  ) {
    super(message, downstreamCode as ErrorCode);
  }
}

/**
 * One hub service calling another subgraph directly, signed as a service (never a user). Used
 * where a subgraph needs another's data and must not read its tables.
 */
export class ServiceClient {
  constructor(
    private readonly url: string,
    private readonly callerName: string,
    private readonly secrets: ServiceSecrets,
    private readonly timeoutMs = 5000,
  ) {}

  /** Runs a GraphQL operation: a final refusal is `ServiceRefusedError`; anything else failing is `SERVICE_UNAVAILABLE`. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const credential = await signGatewayCredential({ kind: 'service', name: this.callerName }, this.secrets.gatewaySecret, body);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unavailable(this.url, error);
    }
    const result = (await response.json().catch(() => null)) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    const refusal = result?.errors?.find((error) => FINAL_CODES.has(error.extensions?.code ?? ''));
    if (refusal) throw new ServiceRefusedError(refusal.message, refusal.extensions!.code!);
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
