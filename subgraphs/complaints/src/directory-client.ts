import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, ServiceUnavailableError, type AuthSecrets } from '@lapor-hub/lib';

/** What the complaints service needs to know about nodes and categories to accept a submission. */
export interface DirectoryAnswer {
  chosenAgency: { id: string; kind: string } | null;
  regionAgency: { id: string } | null;
  category: { id: string } | null;
  nationalAgencyId: string;
}

const DIRECTORY_QUERY = `
  query Directory($agencyId: ID!, $withAgency: Boolean!, $regionCode: String!, $withRegion: Boolean!,
                  $categoryId: ID!, $withCategory: Boolean!) {
    chosenAgency: agency(id: $agencyId) @include(if: $withAgency) { id kind }
    regionAgency: agencyByRegionCode(regionCode: $regionCode) @include(if: $withRegion) { id }
    category(id: $categoryId) @include(if: $withCategory) { id }
    national: agencies(kind: NATIONAL, first: 1) { edges { node { id } } }
  }`;

/**
 * Asks the agencies subgraph (the directory's owner) about nodes and categories, in one request,
 * signed as a hub service. The complaints service never reads the agencies tables itself.
 */
export class DirectoryClient {
  constructor(
    private readonly agenciesUrl: string,
    private readonly secrets: AuthSecrets,
    private readonly timeoutMs = 5000,
  ) {}

  async lookup(query: { agencyId: string | null; regionCode: string | null; categoryId: string | null }): Promise<DirectoryAnswer> {
    const credential = await signGatewayCredential({ kind: 'service', name: 'complaints' }, this.secrets.gatewaySecret);
    let response: Response;
    try {
      response = await fetch(this.agenciesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: credential },
        body: JSON.stringify({
          query: DIRECTORY_QUERY,
          variables: {
            agencyId: query.agencyId ?? '',
            withAgency: query.agencyId !== null,
            regionCode: query.regionCode ?? '',
            withRegion: query.regionCode !== null,
            categoryId: query.categoryId ?? '',
            withCategory: query.categoryId !== null,
          },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw directoryUnavailable(error);
    }
    const result = (await response.json().catch(() => null)) as {
      data?: {
        chosenAgency?: { id: string; kind: string } | null;
        regionAgency?: { id: string } | null;
        category?: { id: string } | null;
        national: { edges: { node: { id: string } }[] };
      };
    } | null;
    const national = result?.data?.national.edges[0]?.node.id;
    if (!response.ok || !result?.data || !national) throw directoryUnavailable(result);
    return {
      chosenAgency: result.data.chosenAgency ?? null,
      regionAgency: result.data.regionAgency ?? null,
      category: result.data.category ?? null,
      nationalAgencyId: national,
    };
  }
}

function directoryUnavailable(cause: unknown): ServiceUnavailableError {
  const error = new ServiceUnavailableError('The agency directory is unavailable; retry with the same idempotencyKey');
  (error as Error & { cause?: unknown }).cause = cause;
  return error;
}
