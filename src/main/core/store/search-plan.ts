/**
 * Turns what an operator typed into one SQL query over the store, treating the text literally.
 *
 * Same meaning as the keys table's own filter (shared/key-view.ts matchesText): every
 * whitespace-separated term must occur in the name, preview or id, case-insensitively.
 * Terms of three or more characters find their candidate rows through the FTS5 trigram index
 * (migrations/lean-search.ts): every trigram of the term, each a quoted token, so quotes, `*`,
 * `NEAR`, parentheses, `-` and `:` are searched for, never parsed. The index keeps no positions,
 * so a candidate holds the trigrams but maybe not the term: every term is then checked on the
 * row itself. Shorter terms (the trigram index cannot answer them) are checked with instr() on the
 * rows the index returned, or on a scan of keys_text when no term is long enough.
 *
 * Ids made only of hex digits and '-' (UUIDs) are not in the trigram index. A term made only of
 * those characters may lie inside one: its candidates are the index's rows plus a scan of the ids
 * in keys_text. Any other term cannot lie inside such an id, so the index alone finds it.
 */
export interface SearchPlan {
  sql: string
  params: (string | number)[]
  /** The whole text when it is one term: an exact id or preview match is ranked first. */
  exactText: string | null
}

/** The three searched fields as one text; terms hold no whitespace, so none spans two fields. */
const HAY = `k.name || char(10) || k.key_preview || char(10) || k.id`
/** Characters of the ids the trigram index leaves out (lean-search.ts ftsId). */
const HEXISH = /^[0-9a-f-]+$/i
const ASCII = /^[\x20-\x7e]+$/

/**
 * `hay` contains `needle` (already lower case), lower-casing `hay` as JavaScript does: the same
 * test as matchesText, for any script. Registered on the database by open-database.ts.
 */
export const CONTAINS_FUNCTION = 'keydesk_contains'
export function contains(hay: string | null, needle: string | null): number {
  return hay !== null && needle !== null && hay.toLowerCase().includes(needle) ? 1 : 0
}

export function splitTerms(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean)
}

/** An FTS5 string literal: the term in double quotes, inner quotes doubled. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`
}

/** Every distinct trigram of the terms, each an FTS5 string literal, ANDed: the candidates' query. */
export function ftsTrigrams(terms: readonly string[]): string {
  const grams = new Set<string>()
  for (const term of terms) {
    // The index folds case itself, as it did when it indexed the row.
    const chars = [...term]
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''))
  }
  return [...grams].map(ftsPhrase).join(' AND ')
}

export function planSearch(text: string, scope?: string): SearchPlan {
  const terms = splitTerms(text)
  const long = terms.filter((t) => [...t].length >= 3)
  const short = terms.filter((t) => [...t].length < 3)
  const indexed = long.filter((t) => !HEXISH.test(t))
  const where: string[] = ['k.listed = 1']
  const params: (string | number)[] = []
  let from: string
  if (indexed.length) {
    from = 'keys_fts JOIN keys k ON k.rowid = keys_fts.rowid'
    where.push('keys_fts MATCH ?')
    params.push(ftsTrigrams(indexed))
  } else if (long.length) {
    // Only terms that may lie inside an id: a scan of keys_text, each row a candidate when its id
    // holds the longest term or the index has it (name, preview, other ids) for that term.
    const term = long.reduce((a, b) => ([...b].length > [...a].length ? b : a))
    from = 'keys k INDEXED BY keys_text'
    where.push('(instr(lower(k.id), ?) > 0 OR k.rowid IN (SELECT rowid FROM keys_fts WHERE keys_fts MATCH ?))')
    params.push(term.toLowerCase(), ftsTrigrams([term]))
  } else if (scope) {
    from = 'key_scopes ks JOIN keys k ON k.rowid = ks.key_rowid'
  } else {
    // No term the trigram index can answer: scan the narrow text index, not the rows.
    from = 'keys k INDEXED BY keys_text'
  }
  for (const t of long) {
    where.push(`${CONTAINS_FUNCTION}(${HAY}, ?)`)
    params.push(t.toLowerCase())
  }
  for (const t of short) {
    // SQLite's lower() folds ASCII letters only: an ASCII term is folded the same way on both
    // sides by it, natively; any other term is checked as JavaScript folds it, like a long term.
    where.push(ASCII.test(t) ? `instr(lower(${HAY}), ?) > 0` : `${CONTAINS_FUNCTION}(${HAY}, ?)`)
    params.push(t.toLowerCase())
  }
  if (scope) {
    if (long.length) {
      where.push('EXISTS (SELECT 1 FROM key_scopes s WHERE s.key_rowid = k.rowid AND s.scope = ?)')
    } else {
      where.push('ks.scope = ?')
    }
    params.push(scope)
  }
  return {
    // Row ids first; the caller reads the JSON of the few rows it keeps.
    sql: `SELECT k.rowid AS rowid FROM ${from} WHERE ${where.join(' AND ')} LIMIT ?`,
    params,
    exactText: terms.length === 1 ? terms[0]! : null
  }
}
