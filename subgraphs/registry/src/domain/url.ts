/**
 * A subgraph URL the registry accepts as well-formed: absolute http(s), no credentials in it.
 * Where it may point is lib's `url-policy` (`SUBGRAPH_ALLOW_PRIVATE_URLS`), checked when it is used.
 */
export function isSubgraphUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}
