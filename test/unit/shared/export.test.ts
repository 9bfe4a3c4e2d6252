import { describe, expect, it } from 'vitest'
import { keysToCsv, keysToJson, rowsToCsv } from '../../../src/shared/export'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const key = (over: Partial<ApiKey>): ApiKey =>
  makeKey('k1', {
    tenant_id: 't',
    name: 'svc',
    key_preview: 'mqu_live_...x7Kf',
    scopes: ['decisions:evaluate', 'audit:read'],
    created_at: '2026-01-01T00:00:00Z',
    ...over
  })

describe('export', () => {
  it('writes CSV with a header, status and space-separated scopes', () => {
    const csv = keysToCsv([key({})], NOW)
    const [header, row] = csv.trim().split('\r\n')
    expect(header).toBe('id,name,key_preview,status,scopes,created_at,expires_at,last_used_at,created_by,revoked_at,revoked_by')
    expect(row).toBe('k1,svc,mqu_live_...x7Kf,active,decisions:evaluate audit:read,2026-01-01T00:00:00Z,,,,,')
  })
  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    const csv = keysToCsv([key({ name: 'a,"b"' }), key({ id: 'k2', name: '=HYPERLINK("x")' })], NOW)
    expect(csv).toContain('"a,""b"""')
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
  })
  it('keeps a cell one cell where ; is the list separator, and quotes every defused formula', () => {
    const csv = rowsToCsv(['name', 'note'] as const, [
      { name: 'x;=1+1;', note: 'ok' },
      { name: '+SUM(A1)', note: '-2' },
      { name: '@x', note: '\tcmd' }
    ])
    expect(csv.split('\r\n').slice(1, 4)).toEqual(['"x;=1+1;",ok', `"'+SUM(A1)","'-2"`, `"'@x","'\tcmd"`])
    // Read as ;-separated, no cell of any row starts with a formula character.
    for (const line of csv.trim().split('\r\n')) {
      const cells = line.match(/"(?:[^"]|"")*"|[^;]+/g) ?? []
      for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    }
  })
  it('writes JSON with context and status, and nothing more than the key metadata', () => {
    const json = JSON.parse(keysToJson([key({ revoked_at: '2026-02-01T00:00:00Z', is_active: false })], NOW, { tenant: 'acme', exportedAt: 'x' }))
    expect(json).toMatchObject({ tenant: 'acme', count: 1, keys: [{ id: 'k1', status: 'revoked' }] })
    expect(Object.keys(json.keys[0]).sort()).toEqual([...Object.keys(key({})), 'status'].sort())
  })
})
