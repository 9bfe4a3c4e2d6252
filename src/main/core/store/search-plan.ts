/**
 * Turns what an operator typed into one SQL query over the store, treating the text literally.
 *
 * Same meaning as the keys table's own filter (shared/key-view.ts matchesText): every
 * whitespace-separated term must occur in the name, preview or id, case-insensitively.
 * Terms of three or more characters go through the FTS5 trigram index as quoted phrases, so
 * quotes, `*`, `NEAR`, parentheses, `-` and `:` are searched for, never parsed. Shorter terms (the
 * trigram index cannot answer them) are checked with instr() on the rows the index returned, or
 * on a scan when no term is long enough.
 */
export interface SearchPlan {
  sql: string
  params: (string | number)[]
  /** The whole text when it is one term: an exact id or preview match is ranked first. */
  exactText: string | null
}

const HAY = `lower(k.name || char(10) || k.key_preview || char(10) || k.id)`

export function splitTerms(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean)
}

/** An FTS5 string literal: the term in double quotes, inner quotes doubled. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`
}

export function planSearch(text: string, scope?: string): SearchPlan {
  const terms = splitTerms(text)
  const long = terms.filter((t) => [...t].length >= 3)
  const short = terms.filter((t) => [...t].length < 3)
  const where: string[] = ['k.listed = 1']
  const params: (string | number)[] = []
  let from: string
  if (long.length) {
    from = 'keys_fts JOIN keys k ON k.rowid = keys_fts.rowid'
    where.push('keys_fts MATCH ?')
    params.push(long.map(ftsPhrase).join(' AND '))
  } else if (scope) {
    from = 'key_scopes ks JOIN keys k ON k.rowid = ks.key_rowid'
  } else {
    // No term the trigram index can answer: scan the narrow text index, not the rows.
    from = 'keys k INDEXED BY keys_text'
  }
  for (const t of short) {
    where.push(`instr(${HAY}, ?) > 0`)
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
