import { DIRECTORY_CACHE_TTL_MS, ExpiringCache, NodeDirectory, type RegionalNode, type ServiceClient } from '@lapor-hub/lib';

/** What the complaints service needs to know about nodes and categories to accept a submission. */
export interface DirectoryAnswer {
  chosenAgency: { id: string; kind: string } | null;
  regionAgency: { id: string } | null;
  category: { id: string } | null;
  nationalAgencyId: string;
}

const SUBMISSION_QUERY = `
  query Directory($regionCode: String!, $withRegion: Boolean!, $categoryId: ID!, $withCategory: Boolean!, $withNational: Boolean!) {
    regionAgency: agencyByRegionCode(regionCode: $regionCode) @include(if: $withRegion) { id }
    category(id: $categoryId) @include(if: $withCategory) { id }
    national: agencies(kind: NATIONAL, first: 1) @include(if: $withNational) { edges { node { id } } }
  }`;

const CATEGORIES_QUERY = `{ categories { id } }`;

/**
 * The agencies subgraph (the directory's owner) as the complaints service asks it: node facts for
 * access and deadlines, and the references a submission names. It never reads the agencies tables.
 * Answers are kept as long as node facts are (a minute), so that a steady stream of submissions
 * costs no round trip at all.
 */
export class DirectoryClient extends NodeDirectory {
  private readonly regionAgencies = new ExpiringCache<string, { id: string } | null>(DIRECTORY_CACHE_TTL_MS);
  private readonly categories = new ExpiringCache<string, { id: string } | null>(DIRECTORY_CACHE_TTL_MS);
  private readonly nationalAgency = new ExpiringCache<'national', string>(DIRECTORY_CACHE_TTL_MS);

  constructor(agencies: ServiceClient) {
    super(agencies, { keepRegionsWarm: true });
  }

  /** The regional nodes (and so every region code's node and the national node) and the categories, loaded together. */
  protected override async warm(): Promise<RegionalNode[]> {
    const [nodes, { categories }] = await Promise.all([super.warm(), this.agencies.request<{ categories: { id: string }[] }>(CATEGORIES_QUERY)]);
    for (const node of nodes) {
      if (node.regionCode !== null) this.regionAgencies.set(node.regionCode, { id: node.id });
      if (node.kind === 'NATIONAL') this.nationalAgency.set('national', node.id);
    }
    for (const category of categories) this.categories.set(category.id, { id: category.id });
    return nodes;
  }

  async lookup(query: { agencyId: string | null; regionCode: string | null; categoryId: string | null }): Promise<DirectoryAnswer> {
    await this.keepWarm();
    const [chosenNode] = query.agencyId === null ? [null] : await this.nodes([query.agencyId]);
    let regionAgency = query.regionCode === null ? { value: null } : this.regionAgencies.get(query.regionCode);
    let category = query.categoryId === null ? { value: null } : this.categories.get(query.categoryId);
    let nationalAgencyId = this.nationalAgency.get('national')?.value;
    if (!regionAgency || !category || !nationalAgencyId) {
      const data = await this.agencies.request<{
        regionAgency?: { id: string } | null;
        category?: { id: string } | null;
        national?: { edges: { node: { id: string } }[] };
      }>(SUBMISSION_QUERY, {
        regionCode: query.regionCode ?? '',
        withRegion: !regionAgency,
        categoryId: query.categoryId ?? '',
        withCategory: !category,
        withNational: !nationalAgencyId,
      });
      if (!regionAgency) {
        regionAgency = { value: data.regionAgency ? { id: data.regionAgency.id } : null };
        this.regionAgencies.set(query.regionCode!, regionAgency.value);
      }
      if (!category) {
        category = { value: data.category ? { id: data.category.id } : null };
        this.categories.set(query.categoryId!, category.value);
      }
      if (!nationalAgencyId) {
        nationalAgencyId = data.national!.edges[0].node.id;
        this.nationalAgency.set('national', nationalAgencyId);
      }
    }
    return {
      chosenAgency: chosenNode ? { id: chosenNode.id, kind: chosenNode.kind } : null,
      regionAgency: regionAgency.value,
      category: category.value,
      nationalAgencyId,
    };
  }
}
