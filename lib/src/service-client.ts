import { GATEWAY_CREDENTIAL_HEADER, serviceCredentialSigner, type ServiceCredentialSigner, type ServiceSecrets } from './auth';
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

/** The hub subgraph a `ServiceClient` calls: its name (the credential's audience) and where it answers. */
export interface ServiceTarget {
  name: string;
  url: string;
}

/**
 * One hub service calling another subgraph directly, with a service credential (the hub
 * services' own key, never the gateway's) naming the caller, for that subgraph alone. Used where a
 * subgraph needs another's data and must not read its tables.
 */
export class ServiceClient {
  private readonly sign: ServiceCredentialSigner;

  constructor(
    private readonly target: ServiceTarget,
    callerName: string,
    secrets: Pick<ServiceSecrets, 'serviceKeys'>,
    private readonly timeoutMs = 5000,
  ) {
    this.sign = serviceCredentialSigner(secrets.serviceKeys, callerName);
  }

  /** Runs a GraphQL operation: a final refusal is `ServiceRefusedError`; anything else failing is `SERVICE_UNAVAILABLE`. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const credential = await this.sign(this.target.name, body);
    let response: Response;
    try {
      response = await fetch(this.target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unavailable(this.target.url, error);
    }
    const result = (await response.json().catch(() => null)) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    const refusal = result?.errors?.find((error) => FINAL_CODES.has(error.extensions?.code ?? ''));
    if (refusal) throw new ServiceRefusedError(refusal.message, refusal.extensions!.code!);
    if (!response.ok || !result?.data || result.errors) throw unavailable(this.target.url, result?.errors ?? response.status);
    return result.data;
  }
}

function unavailable(url: string, cause: unknown): ServiceUnavailableError {
  const error = new ServiceUnavailableError('A hub service is unavailable; retry');
  (error as Error & { cause?: unknown; url?: string }).cause = cause;
  (error as Error & { url?: string }).url = url;
  return error;
}
