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

/** One figure measured twice in the same run: before (the old way) and after, with their ratio. */
export interface Comparison {
  name: string
  unit: string
  before: number
  after: number
  /** The after figure's goal: "< goal", or "≤ goal" with atMost. */
  goal?: number
  atMost?: boolean
}

const fixed = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2))

export function formatComparison(title: string, rows: Comparison[], before: string, after: string): string {
  const lines = [`## ${title}`, '', `| measure | ${before} | ${after} | ${after} ÷ ${before} | goal (${after}) |`, '|---|---|---|---|---|']
  for (const r of rows) {
    const ratio = r.before > 0 ? `${(r.after / r.before).toFixed(r.after / r.before >= 10 ? 0 : 2)} ×` : ''
    const within = r.goal === undefined ? '' : r.atMost ? r.after <= r.goal : r.after < r.goal
    const goal = r.goal === undefined ? '' : `${r.atMost ? '≤' : '<'} ${r.goal} ${r.unit}${within ? ' (within)' : ' (over)'}`
    lines.push(`| ${r.name} | ${fixed(r.before)} ${r.unit} | ${fixed(r.after)} ${r.unit} | ${ratio} | ${goal} |`)
  }
  return lines.join('\n')
}
