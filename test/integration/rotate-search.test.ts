import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let dataDir: string
const tenants: string[] = []
const saved: { name: string; content: string }[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 30, quiet: true })
  dataDir = mkdtempSync(join(tmpdir(), 'keydesk-rotate-'))
  core = createCore({
    dataDir,
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fileSaver: { save: async (name, content) => (saved.push({ name, content }), `/exports/${name}`) }
  })
  for (const [i, t] of sandbox.tenants.entries()) {
    tenants.push(
      ok<{ id: string }>(
        await core.invoke('tenants.add', { label: `t${i}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
      ).id
    )
  }
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

async function someActiveKey(tenant: string): Promise<ApiKey> {
  const all = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant, status: 'active' }))
  return all.keys.find((k) => k.name !== 'keydesk-sandbox-admin' && k.expires_at === null)!
}

describe('rotate', () => {
  it('creates a replacement with the same scopes, then revokes the old key now', async () => {
    const tenant = tenants[0]!
    const old = await someActiveKey(tenant)
    const r = ok<{ old: ApiKey; created: { key: ApiKey; revealId: string } }>(
      await core.invoke('keys.rotate', { tenant, id: old.id, name: `${old.name}-r2`, expires_at: null })
    )
    expect(r.created.key.scopes).toEqual(old.scopes)
    expect(r.created.key.name).toBe(`${old.name}-r2`)
    expect(ok<{ plaintext: string }>(await core.invoke('secrets.reveal', { revealId: r.created.revealId })).plaintext).toMatch(/^mqu_test_/)
    const fin = ok<{ old: ApiKey; pending: unknown[] }>(
      await core.invoke('keys.finishRotation', { tenant, oldKeyId: old.id, newKeyId: r.created.key.id, revokeOld: true })
    )
    expect(fin.old.revoked_at).not.toBeNull()
    expect(fin.pending).toEqual([])
    expect(await core.invoke('keys.rotate', { tenant, id: old.id, name: 'again' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('"later" keeps a pending rotation until the old key is revoked', async () => {
    const tenant = tenants[0]!
    const old = await someActiveKey(tenant)
    const r = ok<{ created: { key: ApiKey } }>(await core.invoke('keys.rotate', { tenant, id: old.id, name: `${old.name}-next` }))
    const later = ok<{ pending: { oldKeyId: string }[] }>(
      await core.invoke('keys.finishRotation', { tenant, oldKeyId: old.id, newKeyId: r.created.key.id, revokeOld: false })
    )
    expect(later.pending.map((p) => p.oldKeyId)).toContain(old.id)
    // Kept in the encrypted store, not a JSON file beside it.
    expect(existsSync(join(dataDir, 'rotations.json'))).toBe(false)
    const stored = Buffer.concat(
      readdirSync(dataDir)
        .filter((f) => f.startsWith('keydesk.db'))
        .map((f) => readFileSync(join(dataDir, f)))
    )
    expect(stored.includes(old.name)).toBe(false)
    ok(await core.invoke('keys.revoke', { tenant, id: old.id }))
    expect(ok<{ pending: unknown[] }>(await core.invoke('keys.pendingRotations', { tenant })).pending).toEqual([])
  })
})

describe('search across tenants (from the last known lists)', () => {
  it('finds which tenant a preview belongs to', async () => {
    const lists = await Promise.all(tenants.map(async (t) => ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant: t })).keys))
    const target = lists[1]![3]!
    const res = ok<{ hits: { tenant: { id: string; label: string }; key: ApiKey }[]; searchedTenants: number }>(
      await core.invoke('keys.searchAll', { text: target.key_preview })
    )
    expect(res.searchedTenants).toBe(2)
    expect(res.hits.map((h) => h.key.id)).toContain(target.id)
    expect(res.hits.find((h) => h.key.id === target.id)!.tenant).toMatchObject({ id: tenants[1], label: 't1' })
    // The exact preview ranks first, marked as such.
    expect(res.hits[0]).toMatchObject({ exact: true, key: { id: target.id } })
    expect(await core.invoke('keys.searchAll', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { text: 'Type at least 2 characters' } }
    })
    // FTS syntax is text, never an error.
    for (const text of ['"', 'NEAR(', 'a:b', '-x*']) {
      expect(await core.invoke('keys.searchAll', { text: `${text}${text}` })).toMatchObject({ ok: true })
    }
  })
})

describe('files.save', () => {
  it('hands the export to the save-dialog port, and refuses paths', async () => {
    const r = ok<{ saved: boolean; path: string }>(
      await core.invoke('files.save', { suggestedName: 'keys.csv', mimeType: 'text/csv', content: 'id\r\n' })
    )
    expect(r).toEqual({ saved: true, path: '/exports/keys.csv' })
    expect(saved.at(-1)).toEqual({ name: 'keys.csv', content: 'id\r\n' })
    expect(await core.invoke('files.save', { suggestedName: '../x.csv', mimeType: 'text/csv', content: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' }
    })
  })
})
