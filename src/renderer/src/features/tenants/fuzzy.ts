/**
 * Fuzzy match for the quick switcher: every typed character must appear in order; consecutive
 * runs and word starts score higher. Returns null for no match.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '')
  const t = text.toLowerCase()
  if (!q) return 0
  let score = 0
  let ti = 0
  let run = 0
  for (const ch of q) {
    const found = t.indexOf(ch, ti)
    if (found < 0) return null
    run = found === ti ? run + 1 : 0
    const wordStart = found === 0 || /[\s\-_.]/.test(t[found - 1] ?? '')
    score += 1 + run * 2 + (wordStart ? 3 : 0) - Math.min(3, found - ti) * 0.1
    ti = found + 1
  }
  return score - t.length * 0.01
}

export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i, s: fuzzyScore(query, text(item)) }))
    .filter((x): x is { item: T; i: number; s: number } => x.s !== null)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.item)
}
