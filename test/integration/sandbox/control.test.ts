import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { SCOPES } from '../../../src/shared/scopes'
import { call, control, expectError } from './helpers'

// The sandbox's own /__sandbox routes (not MeshQu): provisioning, seeding, state.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sb: Sandbox
beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 1, seedKeys: 1, quiet: true })
})
afterAll(() => sb?.close())

interface Tenant {
  id: string
  name: string
  admin_key: string
}

describe('/__sandbox', () => {
  it('POST /tenants provisions a tenant whose admin key holds all ten scopes', async () => {
    const a = await call<Tenant>(sb.url, '/__sandbox/tenants', { method: 'POST', body: {} })
    expect(a.status).toBe(201)
    expect(a.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a.body.name).toMatch(/^acme-sandbox-\d+$/)
    expect(a.body.admin_key.startsWith('mqu_test_')).toBe(true)
    const keys = await call(sb.url, '/v1/api-keys', { key: a.body.admin_key, tenant: a.body.id })
    expect(keys.status).toBe(200)
    expect(keys.body.pagination.total).toBe(1)
    const admin = keys.body.data[0]
    expect([...admin.scopes].sort()).toEqual([...SCOPES].sort())
    expect(admin.created_by).toBeNull()
    expect((await call(sb.url, '/v1/audit-events', { key: a.body.admin_key, tenant: a.body.id })).status).toBe(200)
  })

  it('POST /tenants/:id/seed adds 10,000 demo keys (its speed is measured in bench/, not here)', async () => {
    const t = await control<Tenant>(sb.url, '/tenants', 'POST', { name: 'big-tenant' })
    const seeded = await control<{ created: number }>(sb.url, `/tenants/${t.id}/seed`, 'POST', { count: 10_000 })
    expect(seeded).toEqual({ created: 10_000 })
    const page = await call(sb.url, '/v1/api-keys?limit=500&offset=9800', { key: t.admin_key, tenant: t.id })
    expect(page.body.pagination).toEqual({ total: 10_001, limit: 500, offset: 9800, has_more: false })
    expect(page.body.data).toHaveLength(201)
    const states = await control<{
      tenants: { id: string; name: string; keys: { total: number; active: number; revoked: number; expired: number } }[]
    }>(sb.url, '/state', 'GET')
    const mine = states.tenants.find((x) => x.id === t.id)!
    expect(mine.name).toBe('big-tenant')
    expect(mine.keys.total).toBe(10_001)
    expect(mine.keys.active + mine.keys.revoked + mine.keys.expired).toBe(10_001)
    for (const n of [mine.keys.active, mine.keys.revoked, mine.keys.expired]) expect(n).toBeGreaterThan(100)
    const soon = (await call(sb.url, '/v1/api-keys?status=active&limit=500', { key: t.admin_key, tenant: t.id })).body.data.filter(
      (k: { expires_at: string | null }) => k.expires_at && Date.parse(k.expires_at) - Date.now() < 15 * 86_400_000
    )
    expect(soon.length).toBeGreaterThan(0)
  })

  it('seeding an unknown tenant → 404; bad bodies → 400', async () => {
    expectError(
      await call(sb.url, '/__sandbox/tenants/00000000-0000-4000-8000-000000000000/seed', { method: 'POST', body: { count: 1 } }),
      404,
      'NOT_FOUND'
    )
    expectError(await call(sb.url, `/__sandbox/tenants/${sb.tenants[0]!.id}/seed`, { method: 'POST', body: { count: -1 } }), 400, 'VALIDATION_ERROR')
    expectError(await call(sb.url, '/__sandbox/tenants', { method: 'POST', body: { name: '' } }), 400, 'VALIDATION_ERROR')
    expectError(await call(sb.url, '/__sandbox/tenants', { method: 'POST', rawBody: 'not json' }), 400, 'VALIDATION_ERROR')
  })

  it('GET /state reports limits, faults and per-tenant counts, never a key', async () => {
    const s = await call(sb.url, '/__sandbox/state')
    expect(s.status).toBe(200)
    expect(s.body.limits).toEqual({ limit: 1000, pre_auth_limit: 10_000, window_seconds: 60 })
    expect(s.body.faults).toMatchObject({ latency_ms: 0, error_rate: 0 })
    expect(s.body.tenants[0]).toMatchObject({ id: sb.tenants[0]!.id, keys: { total: 1 } })
    expect(JSON.stringify(s.body)).not.toContain(sb.tenants[0]!.admin_key)
  })

  it('the in-process control helpers match the routes', async () => {
    const t = await sb.control.createTenant({ name: 'in-process', seed_keys: 3 })
    expect(sb.control.seed(t.id, 2)).toEqual({ created: 2 })
    expect(sb.control.state().tenants.find((x) => x.id === t.id)?.keys.total).toBe(6)
    expect(sb.control.setLimits({ window_seconds: 30 })).toEqual({ limit: 1000, pre_auth_limit: 10_000, window_seconds: 30 })
    sb.control.setLimits({ window_seconds: 60 })
  })
})

describe('loopback only', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address

  it.skipIf(!external)('answers 403 to a non-loopback peer while /v1 still works', async () => {
    const open = await startSandbox({ port: 0, host: '0.0.0.0', tenants: 0, quiet: true })
    try {
      const port = new URL(open.url).port
      const remote = `http://${external}:${port}`
      const state = await call(remote, '/__sandbox/state')
      expectError(state, 403, 'FORBIDDEN')
      expect((await call(remote, '/__sandbox/tenants', { method: 'POST', body: {} })).status).toBe(403)
      expect((await call(remote, '/v1/health')).status).toBe(200)
      expect((await call(open.url, '/__sandbox/state')).status).toBe(200)
    } finally {
      await open.close()
    }
  })
})
