/**
 * The export's file name: "acme-prod-EU-keys-2026-01-15.csv". Runs of characters a file name should
 * not carry become one dash, with none at either end, so a label such as "acme-prod (EU)" never
 * yields a double dash.
 */
export function exportFileName(label: string, format: 'csv' | 'json', now: number): string {
  const base =
    label
      .replace(/[^\w.-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'tenant'
  return `${base}-keys-${new Date(now).toISOString().slice(0, 10)}.${format}`
}
