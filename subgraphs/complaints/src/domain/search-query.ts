/**
 * A search query as both matchers read it. Full-text search takes the query whole, in web search
 * syntax (`websearch_to_tsquery`: words, "quoted phrases", `or`, `-word`); the typo matcher
 * compares the title with the words wanted only, and drops a title whose complaint holds a word
 * excluded, so that `sampah -pasar` leaves out "Sampah menumpuk di pasar" both ways.
 */
export interface SearchQuery {
  /** The query as the caller wrote it. */
  text: string;
  /** The words wanted, for trigram similarity; null when there is none (only exclusions). */
  wanted: string | null;
  /** The words and phrases excluded, joined with `or` for `websearch_to_tsquery`; null when none. */
  excluded: string | null;
}

const TOKEN = /(-?)"([^"]*)"?|(-?)([^\s"]+)/g;

export function parseSearchQuery(text: string): SearchQuery {
  const wanted: string[] = [];
  const excluded: string[] = [];
  for (const [, phraseSign, phrase, wordSign, word] of text.matchAll(TOKEN)) {
    const term = (phrase ?? word ?? '').trim();
    const negated = (phrase !== undefined ? phraseSign : wordSign) === '-';
    if (term === '' || /^-*$/.test(term) || (!negated && phrase === undefined && term.toLowerCase() === 'or')) continue;
    if (negated) excluded.push(phrase !== undefined ? `"${term}"` : term);
    else wanted.push(term);
  }
  return { text, wanted: wanted.length > 0 ? wanted.join(' ') : null, excluded: excluded.length > 0 ? excluded.join(' or ') : null };
}
