import type { ServiceClient } from '@lapor-hub/lib';

const NAMES_QUERY = `
  query AgencyNames($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Agency { id name } }
  }`;

/** The directory's names of the nodes a batch of messages names, in one request (absent for unknown ids). */
export async function agencyNames(agencies: ServiceClient, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const data = await agencies.request<{ _entities: ({ id: string; name: string } | null)[] }>(NAMES_QUERY, {
    representations: unique.map((id) => ({ __typename: 'Agency', id })),
  });
  return new Map(data._entities.flatMap((agency) => (agency ? [[agency.id, agency.name] as const] : [])));
}
