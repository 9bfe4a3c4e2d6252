import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { call, PLAINTEXT_LIKE } from './helpers'

// dataDir: state survives a restart; only hashes are stored, except the sandbox-provisioned admin
// keys, kept in credentials.json (0600) so the same admin keys work after a restart.
const dirFiles = (dir: string) => readdirSync(dir).map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }))

describe('data-dir persistence', () => {
  it('reloads tenants, keys, revocations and audit events; stores no API-created plaintext', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'))
    const first = await startSandbox({ port: 0, tenants: 1, seedKeys: 5, dataDir: dir, quiet: true })
    const t = first.tenants[0]!
    const as = (key: string) => ({ key, tenant: t.id })
    const created = await call(first.url, '/v1/api-keys', {
      method: 'POST',
      ...as(t.admin_key),
      body: { name: 'survivor', scopes: ['api-keys:admin'] }
    })
    const plaintext: string = created.body.plaintext_key
    const doomed = await call(first.url, '/v1/api-keys', { method: 'POST', ...as(t.admin_key), body: { name: 'doomed', scopes: ['api-keys:admin'] } })
    const revokedAt: string = (await call(first.url, `/v1/api-keys/${doomed.body.key.id}`, { method: 'DELETE', ...as(t.admin_key) })).body.key
      .revoked_at
    const before = (await call(first.url, '/v1/api-keys?limit=500', as(t.admin_key))).body
    const auditBefore = (await call(first.url, '/v1/audit-events?limit=500', as(t.admin_key))).body.pagination.total
    await first.close()

    const files = dirFiles(dir)
    expect(files.map((f) => f.name).sort()).toEqual(['credentials.json', 'state.json'])
    for (const f of files) {
      expect(f.text).not.toContain(plaintext)
      expect(f.text).not.toContain(doomed.body.plaintext_key)
      expect(statSync(join(dir, f.name)).mode & 0o777).toBe(0o600)
    }
    const state = files.find((f) => f.name === 'state.json')!.text
    expect(state).not.toContain(t.admin_key)
    expect(state).not.toMatch(PLAINTEXT_LIKE)
    expect(JSON.parse(files.find((f) => f.name === 'credentials.json')!.text)).toEqual({ tenants: [{ id: t.id, admin_key: t.admin_key }] })

    const second = await startSandbox({ port: 0, tenants: 1, seedKeys: 5, dataDir: dir, quiet: true })
    try {
      expect(second.tenants).toEqual([{ id: t.id, name: t.name, admin_key: t.admin_key }])
      expect((await call(second.url, '/v1/api-keys?limit=1', as(plaintext))).status).toBe(200)
      expect((await call(second.url, '/v1/api-keys?limit=1', as(doomed.body.plaintext_key))).status).toBe(401)
      const after = (await call(second.url, '/v1/api-keys?limit=500', as(t.admin_key))).body
      expect(after.pagination.total).toBe(before.pagination.total)
      const byId = new Map(after.data.map((k: { id: string }) => [k.id, k]))
      for (const k of before.data) {
        // everything survives; last_used_at moves on for the keys used since
        const { last_used_at: _used, ...rest } = k
        expect(byId.get(k.id)).toMatchObject(rest)
      }
      const revoked = after.data.find((k: { id: string }) => k.id === doomed.body.key.id)
      expect(revoked.revoked_at).toBe(revokedAt)
      expect(revoked.is_active).toBe(false)
      const audit = (await call(second.url, '/v1/audit-events?limit=500', as(t.admin_key))).body
      expect(audit.pagination.total).toBeGreaterThanOrEqual(auditBefore)
      expect(
        audit.data.some((e: { action: string; target_id: string }) => e.action === 'api_key.revoked' && e.target_id === doomed.body.key.id)
      ).toBe(true)
    } finally {
      await second.close()
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('issues a fresh admin key on restart when the stored one was revoked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'))
    const first = await startSandbox({ port: 0, tenants: 1, seedKeys: 1, dataDir: dir, quiet: true })
    const t = first.tenants[0]!
    const mine = (await call(first.url, '/v1/api-keys', { key: t.admin_key, tenant: t.id })).body.data[0]
    expect((await call(first.url, `/v1/api-keys/${mine.id}`, { method: 'DELETE', key: t.admin_key, tenant: t.id })).status).toBe(200)
    await first.close()

    const second = await startSandbox({ port: 0, tenants: 1, dataDir: dir, quiet: true })
    try {
      const fresh = second.tenants[0]!
      expect(fresh.id).toBe(t.id)
      expect(fresh.admin_key).not.toBe(t.admin_key)
      expect((await call(second.url, '/v1/api-keys', { key: t.admin_key, tenant: t.id })).status).toBe(401)
      const list = await call(second.url, '/v1/api-keys', { key: fresh.admin_key, tenant: t.id })
      expect(list.status).toBe(200)
      expect(list.body.pagination.total).toBe(2)
      const creds = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'))
      expect(creds.tenants).toEqual([{ id: t.id, admin_key: fresh.admin_key }])
    } finally {
      await second.close()
    }
  })

  it('adds tenants up to the requested count and keeps sandbox-created ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'))
    const first = await startSandbox({ port: 0, tenants: 1, seedKeys: 2, dataDir: dir, quiet: true })
    const extra = await first.control.createTenant({ name: 'made-later' })
    await first.close()
    const second = await startSandbox({ port: 0, tenants: 3, seedKeys: 2, dataDir: dir, quiet: true })
    try {
      expect(second.tenants.map((t) => t.name)).toEqual(['acme-sandbox-1', 'made-later', 'acme-sandbox-3'])
      expect(second.tenants[1]).toEqual(extra)
    } finally {
      await second.close()
    }
  })

  it('refuses a corrupt state file with a clear error instead of overwriting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'))
    writeFileSync(join(dir, 'state.json'), '{"version": 1, "tenants": [')
    await expect(startSandbox({ port: 0, dataDir: dir, quiet: true })).rejects.toThrow(/state\.json/)
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"version": 1, "tenants": [')
  })
})
