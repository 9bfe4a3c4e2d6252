export interface BenchResult {
  name: string
  value: number
  unit: string
  /** Budget from ARCHITECTURE.md, reported beside the figure, never asserted. */
  budget?: number
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? NaN
}

export function formatResults(title: string, results: BenchResult[]): string {
  const lines = [`## ${title}`, '', '| measure | value | budget |', '|---|---|---|']
  for (const r of results) {
    const v = r.value.toFixed(r.value >= 100 ? 0 : r.value >= 10 ? 1 : 2)
    const budget =
      r.budget === undefined
        ? ''
        : `${r.unit === '×' ? '≤ ' : '< '}${r.budget}${r.unit === '×' ? '×' : ` ${r.unit}`}${r.value <= r.budget ? ' (within)' : ' (over)'}`
    lines.push(`| ${r.name} | ${v} ${r.unit} | ${budget} |`)
  }
  return lines.join('\n')
}
