import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { startSandbox, type SandboxHandle } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { TenantView } from '../../src/shared/tenants'
import type { SyncStatus } from '../../src/shared/sync'

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
const until = async <T>(what: string, read: () => Promise<T>, cond: (v: T) => boolean, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms
  for (;;) {
    const v = await read()
    if (cond(v)) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 600)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const cleanup: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanup.reverse()) await c()
})

/** Three tenants on one sandbox host that the test can stop and start on the same port; requests counted per tenant. */
async function fleetOnOneHost(seedKeys = 25, tickMs = 250) {
  const port = await freePort()
  const sandboxDir = mkdtempSync(join(tmpdir(), 'keydesk-fleet-sync-sbx-'))
  const box = { sandbox: (await startSandbox({ port, tenants: 3, seedKeys, dataDir: sandboxDir, quiet: true })) as SandboxHandle }
  cleanup.push(() => box.sandbox.close())
  const requests: { tenant: string | null; at: number; path: string }[] = []
  const countingFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers)
    requests.push({ tenant: headers.get('x-meshqu-tenant-id'), at: Date.now(), path: String(input) })
    return fetch(input, init)
  }
  const core: Core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-fleet-sync-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 1000,
    fetch: countingFetch,
    backgroundSync: { tickMs, probeTimeoutMs: 500 }
  })
  cleanup.push(() => core.dispose())
  const ids: string[] = []
  for (const [i, t] of box.sandbox.tenants.entries()) {
    const added = ok<TenantView>(
      await core.invoke('tenants.add', {
        label: `fleet-${i}`,
        tenantId: t.id,
        baseUrl: box.sandbox.url,
        environment: 'staging',
        adminKey: t.admin_key
      })
    )
    ids.push(added.data.id)
  }
  const meshquIdOf = new Map(box.sandbox.tenants.map((t, i) => [ids[i]!, t.id]))
  const restart = async () => {
    await box.sandbox.close()
    await new Promise((r) => setTimeout(r, 50))
    box.sandbox = await startSandbox({ port, tenants: 3, dataDir: sandboxDir, quiet: true })
  }
  return { core, ids, box, requests, meshquIdOf, restart }
}

const statusOf = async (core: Core) => ok<SyncStatus>(await core.invoke('sync.status', {})).data
const tenantStatuses = async (core: Core) =>
  Object.fromEntries(ok<{ tenants: TenantView[] }>(await core.invoke('tenants.list', {})).data.tenants.map((t) => [t.id, t.status]))

describe('background sync of the fleet (sandbox, three tenants on one host)', () => {
  it('fills every tenant without a visit; a stopped host takes all of them offline, its return brings all back', async () => {
    const { core, ids, box, restart } = await fleetOnOneHost()
    // The store opens with the tenant list (as the UI opens it); the first run follows by itself.
    ok(await core.invoke('tenants.list', {}))
    const synced = await until(
      'every tenant synced',
      () => statusOf(core),
      (s) => s.tenants.length === 3 && s.tenants.every((t) => t.syncedAt !== null && !t.stale)
    )
    expect(synced.tenants.every((t) => t.status === 'online')).toBe(true)
    for (const id of ids) {
      const stored = ok<{ keysJson: string } | null>(await core.invoke('keys.fromStore', { tenant: id })).data
      expect(JSON.parse(stored!.keysJson)).toHaveLength(25)
    }
    const firstSync = Math.min(...synced.tenants.map((t) => t.syncedAt!))

    // The host goes: a probe notices, and every tenant on it is offline without being called.
    await box.sandbox.close()
    await until(
      'every tenant offline',
      () => tenantStatuses(core),
      (s) => ids.every((id) => s[id] === 'offline'),
      5_000
    )
    const down = await statusOf(core)
    expect(down.hosts).toEqual([expect.objectContaining({ baseUrl: box.sandbox.url, reachable: false })])
    // Sync all now while it is gone: each tenant is skipped, and says why.
    ok(await core.invoke('sync.all', {}))
    const skipped = await until(
      'run over',
      () => statusOf(core),
      (s) => !s.running
    )
    expect(skipped.tenants.map((t) => [t.state, t.skipped])).toEqual([
      ['skipped', 'offline'],
      ['skipped', 'offline'],
      ['skipped', 'offline']
    ])

    // Back: every tenant recovers and is listed again, none visited.
    await restart()
    const back = await until(
      'every tenant back and synced again',
      () => statusOf(core),
      (s) => s.tenants.every((t) => t.status === 'online' && t.syncedAt! > firstSync),
      10_000
    )
    expect(back.hosts[0]?.reachable).toBe(true)
  }, 45_000)

  it('a 429 keeps the stored list, rate-limited (not offline); no request goes to that tenant before Retry-After; then it resumes', async () => {
    // No ticks (no probes) during the test: the storm is meant for the tenant's own calls.
    const { core, ids, box, requests, meshquIdOf } = await fleetOnOneHost(25, 600_000)
    ok(await core.invoke('tenants.list', {}))
    ok(await core.invoke('sync.all', {}))
    await until(
      'first run done',
      () => statusOf(core),
      (s) => s.tenants.every((t) => t.syncedAt !== null) && !s.running
    )
    const [a] = ids as [string]
    box.sandbox.control.setFaults({ rate_limit_storm: { count: 1, retry_after_seconds: 2 } })
    const limited = ok<{ keys: unknown[]; rateLimitedUntil?: number }>(await core.invoke('keys.listAll', { tenant: a }))
    const at429 = Date.now()
    expect(limited.meta.servedFrom).toBe('store')
    expect(limited.data.keys).toHaveLength(25)
    expect(limited.data.rateLimitedUntil).toBeGreaterThan(at429 + 1000)
    expect(limited.meta.tenantStatus).toBe('rate-limited')
    // One message: no offline reason beside the rate limit.
    expect(limited.data).not.toHaveProperty('offlineReason')
    const s = await statusOf(core)
    expect(s.tenants.find((t) => t.tenant === a)).toMatchObject({ status: 'rate-limited', rateLimitedUntil: limited.data.rateLimitedUntil })

    // Sync all now: the other tenants go at once; this one waits out Retry-After, then is listed.
    const before = requests.length
    ok(await core.invoke('sync.all', {}))
    const done = await until(
      'run over',
      () => statusOf(core),
      (st) => !st.running && st.tenants.every((t) => t.state === 'synced'),
      10_000
    )
    const toA = requests.slice(before).filter((r) => r.tenant === meshquIdOf.get(a) && r.path.includes('/api-keys'))
    expect(toA.length).toBeGreaterThan(0)
    for (const r of toA) expect(r.at).toBeGreaterThanOrEqual(limited.data.rateLimitedUntil! - 50)
    expect(done.tenants.find((t) => t.tenant === a)).toMatchObject({ status: 'online', rateLimitedUntil: null })
    // And the visit after it answers from MeshQu again.
    expect(ok(await core.invoke('keys.listAll', { tenant: a })).meta.servedFrom).toBe('network')
  }, 30_000)

  it('a write whose connection drops is settling (not offline) and settles at a list started at once, without a visit', async () => {
    const { core, ids, box } = await fleetOnOneHost(3, 600_000)
    ok(await core.invoke('tenants.list', {}))
    const [a, b] = ids as [string, string]
    const keys = ok<{ keys: { id: string; name: string; revoked_at: string | null }[] }>(await core.invoke('keys.listAll', { tenant: a })).data.keys
    const target = keys.find((k) => k.revoked_at === null && k.name !== 'keydesk-sandbox-admin')!
    box.sandbox.control.setFaults({ drop_connections: 1 })
    const dropped = await core.invoke('keys.revoke', { tenant: a, id: target.id, name: target.name })
    expect(dropped).toMatchObject({ ok: false, error: { code: 'OFFLINE', outcome: 'unknown' } })
    // Not offline, and its host is not marked either: the other tenant stays online.
    if (!dropped.ok) expect(dropped.meta?.tenantStatus).not.toBe('offline')
    expect((await tenantStatuses(core))[b]).not.toBe('offline')
    const settled = await until(
      'the settlement entry',
      async () => ok<{ entries: { action: string; outcome: string }[] }>(await core.invoke('journal.list', { tenant: a })).data.entries,
      (entries) => entries.some((e) => e.action === 'settlement'),
      5_000
    )
    expect(settled.find((e) => e.action === 'settlement')?.outcome).toBe('not-applied')
    const after = await statusOf(core)
    expect(after.tenants.find((t) => t.tenant === a)).toMatchObject({ settling: false, status: 'online' })
  }, 30_000)
})
