import { meta } from './dom';

export interface ApiError {
  message: string;
  extensions?: { code?: string; field?: string };
}

export interface ApiResult<T> {
  data?: T | null;
  errors?: ApiError[];
}

/** The first error's code and field, or a network failure as `NETWORK`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    readonly field: string | null,
    readonly errors: ApiError[],
  ) {
    super(code);
  }
}

/**
 * One GraphQL operation on the public API, as an agency system would send it. `session: true`
 * sends the officer's session cookie with its CSRF header; the citizen portal sends no cookie.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, options: { session?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const csrf = meta('csrf');
  if (options.session && csrf) headers[meta('csrf-header') ?? 'x-lapor-csrf'] = csrf;
  let result: ApiResult<T>;
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers,
      credentials: options.session ? 'same-origin' : 'omit',
      body: JSON.stringify({ query, variables }),
    });
    result = (await response.json()) as ApiResult<T>;
  } catch {
    throw new ApiFailure('NETWORK', null, []);
  }
  if (result.errors?.length) {
    const [first] = result.errors;
    throw new ApiFailure(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.extensions?.field ?? null, result.errors);
  }
  return result.data as T;
}
