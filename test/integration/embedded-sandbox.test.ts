import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { TenantView } from '../../src/shared/tenants'
import { adminKeyIn } from '../fixtures/admin-keys'

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

describe('"Try the sandbox": the embedded sandbox tenant', () => {
  it('starts on loopback, becomes the active sandbox tenant, stops with the core and comes back with its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-embedded-'))
    const secrets = createMemorySecretStore()
    const core = createCore({ dataDir, secretStore: secrets, logger: silentLogger })
    const first = ok<{ tenant: TenantView; url: string }>(await core.invoke('sandbox.start', {}))
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first.tenant).toMatchObject({ environment: 'sandbox', embedded: true, status: 'online', baseUrl: first.url })
    expect(await adminKeyIn(secrets, first.tenant.id)).toMatch(/^mqu_test_/)

    const again = ok<{ tenant: TenantView }>(await core.invoke('sandbox.start', {}))
    expect(again.tenant.id).toBe(first.tenant.id)

    const page = ok<{ keys: { name: string }[]; pagination: { total: number } }>(
      await core.invoke('keys.list', { tenant: first.tenant.id, limit: 500 })
    )
    expect(page.pagination.total).toBeGreaterThan(100)
    const created = ok<{ key: { id: string } }>(
      await core.invoke('keys.create', { tenant: first.tenant.id, key: { name: 'kept-across-restarts', scopes: ['audit:read'] } })
    )
    const list = ok<{ activeId: string }>(await core.invoke('tenants.list', {}))
    expect(list.activeId).toBe(first.tenant.id)
    await core.dispose()

    // A new run: the profile says the sandbox is stopped until it is started again.
    const next = createCore({ dataDir, secretStore: secrets, logger: silentLogger })
    const stopped = ok<{ tenants: TenantView[] }>(await next.invoke('tenants.list', {}))
    expect(stopped.tenants.find((t) => t.id === first.tenant.id)?.status).toBe('stopped')
    expect(ok<{ running: boolean }>(await next.invoke('sandbox.status', {})).running).toBe(false)

    const restarted = ok<{ tenant: TenantView; url: string }>(await next.invoke('sandbox.start', {}))
    expect(restarted.tenant.id).toBe(first.tenant.id)
    expect(restarted.tenant.tenantId).toBe(first.tenant.tenantId)
    const kept = ok<{ name: string }>(await next.invoke('keys.get', { tenant: first.tenant.id, id: created.key.id }))
    expect(kept.name).toBe('kept-across-restarts')
    await next.dispose()
  })
})
