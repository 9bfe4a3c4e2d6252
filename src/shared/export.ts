import type { ApiKey } from './meshqu'
import { keyStatus } from './key-view'

/**
 * A key's own columns in every export of keys (the keys view's CSV and the credential report):
 * metadata only, never plaintext (a key's plaintext never reaches a list).
 */
export const KEY_COLUMNS = ['id', 'name', 'key_preview', 'status', 'scopes', 'created_at', 'expires_at', 'last_used_at'] as const
const COLUMNS = [...KEY_COLUMNS, 'created_by', 'revoked_at', 'revoked_by'] as const

/**
 * Spreadsheet apps run cells starting with = + - @ as formulas; a leading ' keeps them text, and
 * such a cell is quoted too. A cell holding `;` is quoted as well as one holding `,`: where `;` is
 * the list separator (many locales) an unquoted `x;=1+1;` would be read as three cells, one of
 * them a formula.
 */
export function csvCell(value: string): string {
  const formula = /^[=+\-@\t\r]/.test(value)
  const safe = formula ? `'${value}` : value
  return formula || /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function keysToCsv(keys: readonly ApiKey[], now: number): string {
  return rowsToCsv(
    COLUMNS,
    keys.map((k) => ({ ...k, status: keyStatus(k, now) }))
  )
}

export function keysToJson(keys: readonly ApiKey[], now: number, context: { tenant: string; exportedAt: string }): string {
  return `${JSON.stringify({ ...context, count: keys.length, keys: keys.map((k) => ({ ...k, status: keyStatus(k, now) })) }, null, 2)}\n`
}

/**
 * Any table as formula-safe CSV: a header row, CRLF line ends, every cell through csvCell. The
 * one CSV writer of KeyDesk (key lists, the journal, the credential report). A list (scopes,
 * findings) is one cell of its items separated by spaces; null and undefined are empty cells.
 */
export function rowsToCsv<C extends string>(columns: readonly C[], rows: readonly Record<C, unknown>[]): string {
  const text = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v))
  const lines = rows.map((r) => columns.map((c) => csvCell(text(r[c]))).join(','))
  return `${[columns.join(','), ...lines].join('\r\n')}\r\n`
}
