import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, STILL_PRESENTED_NAME, type SandboxHandle } from '../../../src/sandbox'
import { call, control, expectError } from './helpers'

// Issue 14 §6: the seeded tenants show every radar category, and a revoked key a simulated
// service keeps presenting (auth.denied events, a seed option and a control route).
let sb: SandboxHandle
beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 1, seedKeys: 30, quiet: true })
})
afterAll(async () => {
  await sb?.close()
})

const DAY = 86_400_000
type Key = {
  id: string
  name: string
  scopes: string[]
  expires_at: string | null
  last_used_at: string | null
  created_at: string
  revoked_at: string | null
}

describe('sandbox radar showcase', () => {
  it('seeds one key per radar category and a revoked key still being presented', async () => {
    const t = sb.tenants[0]!
    const list = await call<{ data: Key[] }>(sb.url, '/v1/api-keys?limit=500', { key: t.admin_key, tenant: t.id })
    const now = Date.now()
    const byName = new Map(list.body.data.map((k) => [k.name, k]))
    const left = (k: Key) => Date.parse(k.expires_at!) - now
    expect(left(byName.get('payments-gateway-prod-expiring')!)).toBeLessThanOrEqual(DAY)
    expect(left(byName.get('ledger-sync-prod-expiring')!)).toBeLessThanOrEqual(7 * DAY)
    expect(left(byName.get('reporting-prod-expiring')!)).toBeLessThanOrEqual(30 * DAY)
    expect(now - Date.parse(byName.get('legacy-exporter-prod-unused')!.last_used_at!)).toBeGreaterThanOrEqual(90 * DAY)
    expect(byName.get('ci-evaluator-staging-never-used')).toMatchObject({ last_used_at: null })
    expect(byName.get('ops-console-admin')!.scopes).toEqual(expect.arrayContaining(['api-keys:admin', 'audit:admin']))
    expect(byName.get('trade-service-prod-no-expiry')).toMatchObject({ expires_at: null, revoked_at: null })
    const presented = byName.get(STILL_PRESENTED_NAME)!
    expect(presented.revoked_at).not.toBeNull()
    expect(list.body.data).toHaveLength(30)

    const denied = await call<{ data: { actor_key_id: string; details: { reason: string } }[] }>(
      sb.url,
      '/v1/audit-events?action=auth.denied&limit=500',
      { key: t.admin_key, tenant: t.id }
    )
    const mine = denied.body.data.filter((e) => e.actor_key_id === presented.id)
    expect(mine).toHaveLength(24)
    for (const e of mine) expect(e.details.reason).toBe('key_revoked')

    // The control route: a simulated service presents it three more times.
    expect(await control(sb.url, `/tenants/${t.id}/present`, 'POST', { key_id: presented.id, times: 3 })).toEqual({
      events: 3,
      reason: 'key_revoked'
    })
    const again = await call<{ data: { actor_key_id: string }[] }>(sb.url, '/v1/audit-events?action=auth.denied&limit=500', {
      key: t.admin_key,
      tenant: t.id
    })
    expect(again.body.data.filter((e) => e.actor_key_id === presented.id)).toHaveLength(27)
  })

  it('refuses to "present" an active key or an unknown one', async () => {
    const t = sb.tenants[0]!
    const list = await call<{ data: Key[] }>(sb.url, '/v1/api-keys?status=active&limit=1', { key: t.admin_key, tenant: t.id })
    expectError(
      await call(sb.url, `/__sandbox/tenants/${t.id}/present`, { method: 'POST', body: { key_id: list.body.data[0]!.id } }),
      400,
      'VALIDATION_ERROR'
    )
    expectError(await call(sb.url, `/__sandbox/tenants/${t.id}/present`, { method: 'POST', body: { key_id: 'nope' } }), 404, 'NOT_FOUND')
    expectError(
      await call(sb.url, `/__sandbox/tenants/${t.id}/present`, { method: 'POST', body: { key_id: 'x', times: 0 } }),
      400,
      'VALIDATION_ERROR'
    )
  })

  it('tenants created through the control route get the showcase only when asked', async () => {
    const plain = await sb.control.createTenant({ seed_keys: 10 })
    const shown = await sb.control.createTenant({ seed_keys: 10, radar_showcase: true })
    const names = async (t: { id: string; admin_key: string }) =>
      (await call<{ data: Key[] }>(sb.url, '/v1/api-keys?limit=50', { key: t.admin_key, tenant: t.id })).body.data.map((k) => k.name)
    expect(await names(plain)).not.toContain(STILL_PRESENTED_NAME)
    expect(await names(shown)).toContain(STILL_PRESENTED_NAME)
  })
})
