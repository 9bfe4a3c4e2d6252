import type { ApiKey } from './meshqu'
import { keyStatus } from './key-view'

/** Exports of a key list: metadata only, never plaintext (a key's plaintext never reaches a list). */
const COLUMNS = [
  'id',
  'name',
  'key_preview',
  'status',
  'scopes',
  'created_at',
  'expires_at',
  'last_used_at',
  'created_by',
  'revoked_at',
  'revoked_by'
] as const

/** Spreadsheet apps run cells starting with = + - @ as formulas; a leading ' keeps them text. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function keysToCsv(keys: readonly ApiKey[], now: number): string {
  const rows = keys.map((k) =>
    COLUMNS.map((c) => {
      if (c === 'status') return keyStatus(k, now)
      if (c === 'scopes') return k.scopes.join(' ')
      return k[c] ?? ''
    })
      .map((v) => csvCell(String(v)))
      .join(',')
  )
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`
}

export function keysToJson(keys: readonly ApiKey[], now: number, context: { tenant: string; exportedAt: string }): string {
  return `${JSON.stringify({ ...context, count: keys.length, keys: keys.map((k) => ({ ...k, status: keyStatus(k, now) })) }, null, 2)}\n`
}

/** Any table as formula-safe CSV (header row, CRLF line ends, like keysToCsv). */
export function rowsToCsv<C extends string>(columns: readonly C[], rows: readonly Record<C, unknown>[]): string {
  const lines = rows.map((r) => columns.map((c) => csvCell(r[c] === null || r[c] === undefined ? '' : String(r[c]))).join(','))
  return `${[columns.join(','), ...lines].join('\r\n')}\r\n`
}
