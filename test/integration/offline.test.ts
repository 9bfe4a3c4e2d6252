import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { TenantView } from '../../src/shared/tenants'

const ok = <T>(r: Reply<unknown>) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r as { ok: true; data: T; meta: Extract<Reply<T>, { ok: true }>['meta'] }
}
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
})

describe('offline: reads from the encrypted snapshot, writes refused', () => {
  it('serves the last view when the sandbox stops and syncs again when it is back', async () => {
    const port = await freePort()
    const sandboxDir = mkdtempSync(join(tmpdir(), 'keydesk-offline-sbx-'))
    let sandbox = await startSandbox({ port, tenants: 1, seedKeys: 40, dataDir: sandboxDir, quiet: true })
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-offline-'))
    const secrets = createMemorySecretStore()
    const core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 1000 })
    cleanup.push(() => core.dispose())
    const t = sandbox.tenants[0]!
    const tenant = ok<TenantView>(
      await core.invoke('tenants.add', { label: 'train-ride', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    ).data.id

    const online = ok<{ keys: { id: string; name: string; key_preview: string; revoked_at: string | null }[] }>(
      await core.invoke('keys.listAll', { tenant })
    )
    expect(online.meta.servedFrom).toBe('network')
    expect(online.data.keys).toHaveLength(40)
    const syncedAt = online.meta.syncedAt

    // The store on disk (database and WAL) holds no key name or preview in clear text.
    const files = readdirSync(dataDir).filter((f) => f.startsWith('keydesk.db'))
    expect(files).toContain('keydesk.db')
    const raw = Buffer.concat(files.map((f) => readFileSync(join(dataDir, f))))
    for (const k of online.data.keys) {
      expect(raw.includes(k.name)).toBe(false)
      expect(raw.includes(k.key_preview)).toBe(false)
    }

    const auditOnline = ok<{ events: unknown[] }>(await core.invoke('audit.list', { tenant }))
    expect(auditOnline.meta.servedFrom).toBe('network')

    await sandbox.close()
    const auditStored = ok<{ events: unknown[] }>(await core.invoke('audit.list', { tenant }))
    expect(auditStored.meta.servedFrom).toBe('store')
    expect(auditStored.data.events).toEqual(auditOnline.data.events)
    const cached = ok<{ keys: unknown[]; pages: number; offlineReason: string }>(await core.invoke('keys.listAll', { tenant }))
    expect(cached.meta).toMatchObject({ servedFrom: 'store', syncedAt })
    expect(cached.data.keys).toHaveLength(40)
    expect(cached.data.pages).toBe(0)
    expect(cached.data.offlineReason).toMatch(/Could not reach/)
    const status = ok<{ tenants: TenantView[] }>(await core.invoke('tenants.list', {}))
    expect(status.data.tenants[0]?.status).toBe('offline')

    const write = await core.invoke('keys.create', { tenant, key: { name: 'offline-write', scopes: ['alerts:read'] } })
    expect(write).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })

    // A fresh start with MeshQu still down shows the tenant from its snapshot.
    const restarted = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 1000 })
    cleanup.push(() => restarted.dispose())
    expect(ok<{ keys: unknown[] }>(await restarted.invoke('keys.listAll', { tenant })).meta.servedFrom).toBe('store')

    sandbox = await startSandbox({ port, tenants: 1, dataDir: sandboxDir, quiet: true })
    cleanup.push(() => sandbox.close())
    // While we were away: 3 keys were added and 1 revoked by someone else.
    sandbox.control.seed(t.id, 3)
    const victim = online.data.keys.find((k) => k.revoked_at === null && k.name !== 'keydesk-sandbox-admin')!
    const del = await fetch(`${sandbox.url}/v1/api-keys/${victim.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id }
    })
    expect(del.status).toBe(200)
    const back = ok<{ keys: unknown[]; changesSinceLastSync: string }>(await core.invoke('keys.listAll', { tenant }))
    expect(back.meta.servedFrom).toBe('network')
    expect(back.meta.syncedAt).toBeGreaterThan(syncedAt!)
    expect(back.data.changesSinceLastSync).toMatch(/^3 keys added, 1 revoked/)
    expect(ok<{ tenants: TenantView[] }>(await core.invoke('tenants.list', {})).data.tenants[0]?.status).toBe('online')

    // A revoke whose connection drops mid-way is reported as uncertain, then checked on the next sync.
    const target = (back.data.keys as { id: string; name: string; revoked_at: string | null }[]).find(
      (k) => k.revoked_at === null && k.name !== 'keydesk-sandbox-admin'
    )!
    sandbox.control.setFaults({ drop_connections: 1 })
    const dropped = await core.invoke('keys.revoke', { tenant, id: target.id, name: target.name })
    expect(dropped).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    if (!dropped.ok) expect(dropped.error.message).toContain(`Revocation of "${target.name}" may not have been applied`)
    const checked = ok<{ settledWrites: string[] }>(await core.invoke('keys.listAll', { tenant }))
    expect(checked.data.settledWrites).toEqual([`Revocation of "${target.name}" was NOT applied; revoke it again.`])

    ok(await core.invoke('tenants.remove', { tenant }))
    // Its rows left the store with it (the restarted core reads the same database).
    expect(ok(await restarted.invoke('keys.fromStore', { tenant })).data).toBeNull()
    expect(ok<{ tenants: unknown[] }>(await restarted.invoke('fleet.counts', {})).data.tenants).toEqual([])
  }, 30_000)
})
