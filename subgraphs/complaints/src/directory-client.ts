import { NodeDirectory } from '@lapor-hub/lib';

/** What the complaints service needs to know about nodes and categories to accept a submission. */
export interface DirectoryAnswer {
  chosenAgency: { id: string; kind: string } | null;
  regionAgency: { id: string } | null;
  category: { id: string } | null;
  nationalAgencyId: string;
}

const SUBMISSION_QUERY = `
  query Directory($agencyId: ID!, $withAgency: Boolean!, $regionCode: String!, $withRegion: Boolean!,
                  $categoryId: ID!, $withCategory: Boolean!) {
    chosenAgency: agency(id: $agencyId) @include(if: $withAgency) { id kind }
    regionAgency: agencyByRegionCode(regionCode: $regionCode) @include(if: $withRegion) { id }
    category(id: $categoryId) @include(if: $withCategory) { id }
    national: agencies(kind: NATIONAL, first: 1) { edges { node { id } } }
  }`;

/**
 * The agencies subgraph (the directory's owner) as the complaints service asks it: node facts for
 * access and deadlines, and the references a submission names. It never reads the agencies tables.
 */
export class DirectoryClient extends NodeDirectory {
  async lookup(query: { agencyId: string | null; regionCode: string | null; categoryId: string | null }): Promise<DirectoryAnswer> {
    const data = await this.agencies.request<{
      chosenAgency?: { id: string; kind: string } | null;
      regionAgency?: { id: string } | null;
      category?: { id: string } | null;
      national: { edges: { node: { id: string } }[] };
    }>(SUBMISSION_QUERY, {
      agencyId: query.agencyId ?? '',
      withAgency: query.agencyId !== null,
      regionCode: query.regionCode ?? '',
      withRegion: query.regionCode !== null,
      categoryId: query.categoryId ?? '',
      withCategory: query.categoryId !== null,
    });
    return {
      chosenAgency: data.chosenAgency ?? null,
      regionAgency: data.regionAgency ?? null,
      category: data.category ?? null,
      nationalAgencyId: data.national.edges[0].node.id,
    };
  }
}
