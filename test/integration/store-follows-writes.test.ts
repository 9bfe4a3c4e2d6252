import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { BulkJob, ChannelOutput } from '../../src/shared/contract'
import type { ScheduledRevoke } from '../../src/shared/schedule'

// Every write path tells main's fleet store at once: the tenant's list in the store, search all
// and the radar say "revoked" or "created" right after the write, with no full list fetched in
// between (a counting fetch proves none was). Real sandbox over HTTP, real core, real encrypted store.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
const HOUR = 3_600_000
let sandbox: Sandbox
let core: Core
let clock = Date.now()
let prod: string
let staging: string
const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-store-follows-'))
const secrets = createMemorySecretStore()
/** Full listings (GET /v1/api-keys?…) sent since the last reset. */
let listings = 0
const countingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = new URL(String(input))
  if ((init?.method ?? 'GET') === 'GET' && url.pathname.endsWith('/v1/api-keys')) listings++
  return fetch(input, init)
}) as typeof fetch
const options = (): CoreOptions => ({
  dataDir,
  secretStore: secrets,
  logger: silentLogger,
  fetch: countingFetch,
  now: () => clock,
  timeoutMs: 5000,
  scheduleCheckMs: 20,
  expiryCheckEveryMs: false
})

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
async function until<T>(pick: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const v = await pick()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`not reached: ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Privileged keys made straight at the sandbox, so each tenant has known keys in the radar's "privileged". */
const pools = new Map<string, ApiKey[]>()
async function seedPrivileged(i: number, n: number): Promise<ApiKey[]> {
  const t = sandbox.tenants[i]!
  const made: ApiKey[] = []
  for (let k = 0; k < n; k++) {
    const res = await fetch(`${sandbox.url}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `follow-${i}-${k}`, scopes: ['api-keys:admin'] })
    })
    made.push(((await res.json()) as { key: ApiKey }).key)
  }
  return made
}
const take = (tenant: string) => pools.get(tenant)!.shift()!

// What the store-backed channels say about one key.
const fromStore = async (tenant: string, id: string) => {
  const stored = ok<ChannelOutput<'keys.fromStore'>>(await core.invoke('keys.fromStore', { tenant }))
  return stored ? (JSON.parse(stored.keysJson) as ApiKey[]).find((k) => k.id === id) : undefined
}
const searched = async (tenant: string, text: string) =>
  ok<ChannelOutput<'keys.searchAll'>>(await core.invoke('keys.searchAll', { text, limit: 50 })).hits.find(
    (h) => h.tenant.id === tenant && (h.key.id === text || h.key.name === text)
  )?.key
async function radarPrivileged(tenant: string) {
  const summary = ok<ChannelOutput<'radar.summary'>>(await core.invoke('radar.summary', {}))
  const keys = ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category: 'privileged', tenants: [tenant], limit: 1000 }))
  return { count: summary.tenants.find((t) => t.id === tenant)!.counts.privileged, ids: keys.items.map((i) => i.keyId) }
}

/** The store, search and the radar all say the key is revoked. */
async function expectRevokedEverywhere(tenant: string, key: ApiKey, privilegedBefore: number) {
  expect((await fromStore(tenant, key.id))?.revoked_at).not.toBeNull()
  expect((await fromStore(tenant, key.id))?.is_active).toBe(false)
  expect((await searched(tenant, key.id))?.revoked_at).not.toBeNull()
  const radar = await radarPrivileged(tenant)
  expect(radar.ids).not.toContain(key.id)
  expect(radar.count).toBe(privilegedBefore - 1)
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 5, quiet: true })
  core = createCore(options())
  const [a, b] = sandbox.tenants
  prod = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'follow-prod',
      tenantId: a!.id,
      baseUrl: sandbox.url,
      environment: 'production',
      // Protected: written to here (read-only tenants are protection-levels.test.ts's).
      level: 'protected',
      adminKey: a!.admin_key
    })
  ).id
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'follow-staging',
      tenantId: b!.id,
      baseUrl: sandbox.url,
      environment: 'staging',
      adminKey: b!.admin_key
    })
  ).id
  pools.set(prod, await seedPrivileged(0, 6))
  pools.set(staging, await seedPrivileged(1, 6))
  // The only full lists of the file: the store starts out knowing every key.
  ok(await core.invoke('keys.listAll', { tenant: prod }))
  ok(await core.invoke('keys.listAll', { tenant: staging }))
})
beforeEach(() => {
  listings = 0
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('the fleet store follows every write at once', () => {
  it('a single revoke of a key in a tenant that is not the active one', async () => {
    ok(await core.invoke('tenants.activate', { tenant: prod }))
    const key = take(staging)
    const before = await radarPrivileged(staging)
    expect(before.ids).toContain(key.id)
    ok(await core.invoke('keys.revoke', { tenant: staging, id: key.id }))
    await expectRevokedEverywhere(staging, key, before.count)
    expect(listings).toBe(0)
  })

  it('a bulk revoke across tenants, whose progress nobody follows (the dialog closed at once)', async () => {
    const keys = [take(prod), take(prod), take(staging), take(staging)]
    const items = keys.map((k) => ({ tenant: k.tenant_id === sandbox.tenants[0]!.id ? prod : staging, id: k.id }))
    const before = { [prod]: (await radarPrivileged(prod)).count, [staging]: (await radarPrivileged(staging)).count }
    const job = ok<BulkJob>(await core.invoke('bulk.revokeAcross', { items }))
    // Nobody asks bulk.status: only the store is watched until the last key says revoked.
    for (const [i, k] of keys.entries()) {
      await until(async () => ((await fromStore(items[i]!.tenant, k.id))?.revoked_at ? true : undefined), `${k.name} revoked in the store`)
    }
    for (const [i, k] of keys.entries()) expect((await searched(items[i]!.tenant, k.id))?.revoked_at).not.toBeNull()
    for (const tenant of [prod, staging]) {
      const radar = await radarPrivileged(tenant)
      expect(radar.count).toBe(before[tenant]! - 2)
      for (const [i, k] of keys.entries()) if (items[i]!.tenant === tenant) expect(radar.ids).not.toContain(k.id)
    }
    expect(ok<BulkJob>(await core.invoke('bulk.status', { jobId: job.jobId }))).toMatchObject({ revoked: 4, failed: 0 })
    expect(listings).toBe(0)
  })

  it('a create: the new key (without its plaintext) is in the store, search and the radar', async () => {
    const before = await radarPrivileged(prod)
    const made = ok<ChannelOutput<'keys.create'>>(
      await core.invoke('keys.create', {
        tenant: prod,
        key: { name: 'follow-created', scopes: ['api-keys:admin'], expires_at: null },
        // A privileged production key is outside the default policy: a waiver lets this one through.
        waiver: { reason: 'a privileged key, on purpose', until: clock + 86_400_000 }
      })
    )
    const stored = await fromStore(prod, made.key.id)
    expect(stored).toEqual(made.key)
    expect(JSON.stringify(stored)).not.toMatch(/plaintext/)
    expect((await searched(prod, 'follow-created'))?.id).toBe(made.key.id)
    const radar = await radarPrivileged(prod)
    expect(radar.count).toBe(before.count + 1)
    expect(radar.ids).toContain(made.key.id)
    expect(listings).toBe(0)
    ok(await core.invoke('secrets.discard', { revealId: made.revealId }))
  })

  it('a rotation: the replacement is in the store at once, and the old key reads revoked once revoked', async () => {
    const old = take(prod)
    const before = await radarPrivileged(prod)
    const rotated = ok<ChannelOutput<'keys.rotate'>>(
      await core.invoke('keys.rotate', {
        tenant: prod,
        id: old.id,
        name: 'follow-replacement',
        waiver: { reason: 'a privileged key, on purpose', until: clock + 86_400_000 }
      })
    )
    const replacement = rotated.created.key
    expect(await fromStore(prod, replacement.id)).toEqual(replacement)
    expect((await searched(prod, 'follow-replacement'))?.id).toBe(replacement.id)
    expect((await radarPrivileged(prod)).count).toBe(before.count + 1)
    ok(await core.invoke('secrets.discard', { revealId: rotated.created.revealId }))

    ok(await core.invoke('keys.finishRotation', { tenant: prod, oldKeyId: old.id, newKeyId: replacement.id, revokeOld: true }))
    await expectRevokedEverywhere(prod, old, before.count + 1)
    expect(ok<{ pending: unknown[] }>(await core.invoke('keys.pendingRotations', { tenant: prod })).pending).toEqual([])
    expect(listings).toBe(0)
  })

  it('a scheduled revoke that came due while KeyDesk was closed runs at the next start, and the store says so', async () => {
    const key = take(staging)
    const before = await radarPrivileged(staging)
    const s = ok<ScheduledRevoke>(await core.invoke('schedule.revoke', { tenant: staging, keyId: key.id, in: '1h' }))
    await core.dispose()
    clock += 2 * HOUR
    core = createCore(options())
    // The away report is pending until main's first pass over what came due is done.
    const away = await until(async () => {
      const r = ok<ChannelOutput<'schedule.away'>>(await core.invoke('schedule.away', {}))
      return r.pending ? undefined : r
    }, 'first pass done')
    expect(away.results.map((r) => [r.id, r.state, r.tenant])).toEqual([[s.id, 'done', staging]])
    await expectRevokedEverywhere(staging, key, before.count)
    expect(listings).toBe(0)
  })
})
