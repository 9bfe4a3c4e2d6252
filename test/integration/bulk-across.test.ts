import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { BulkJob } from '../../src/shared/contract'
import type { JournalEntry } from '../../src/shared/journal'
import { settleBulkJob } from './settle-bulk-job'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let prod: string
let staging: string
/** Every DELETE in the order sent, with the MeshQu tenant it was for. */
const deletes: { tenantId: string; id: string }[] = []
const statuses: number[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const countingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  if (init?.method === 'DELETE') {
    const headers = init.headers as Record<string, string>
    deletes.push({ tenantId: headers['x-meshqu-tenant-id']!, id: String(input).split('/').pop()! })
  }
  const res = await fetch(input, init)
  statuses.push(res.status)
  return res
}) as typeof fetch

const pools = new Map<string, ApiKey[]>()
async function take(tenant: string, n: number): Promise<{ tenant: string; id: string }[]> {
  if (!pools.has(tenant)) {
    const keys = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant, status: 'active' })).keys
    pools.set(
      tenant,
      keys.filter((k) => k.name !== 'keydesk-sandbox-admin')
    )
  }
  return pools
    .get(tenant)!
    .splice(0, n)
    .map((k) => ({ tenant, id: k.id }))
}
const settle = (jobId: string) => settleBulkJob(core, jobId)

beforeAll(async () => {
  // A small window per tenant, so a job of 8 keys per tenant needs each tenant's pacing.
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 60, rateLimit: 8, windowSeconds: 2, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-across-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fetch: countingFetch
  })
  const [a, b] = sandbox.tenants
  prod = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'acme-prod',
      tenantId: a!.id,
      baseUrl: sandbox.url,
      environment: 'production',
      level: 'protected',
      adminKey: a!.admin_key
    })
  ).id
  staging = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'acme-staging', tenantId: b!.id, baseUrl: sandbox.url, environment: 'staging', adminKey: b!.admin_key })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})
beforeEach(() => {
  sandbox.control.clearFaults()
})

describe('bulk revoke across tenants', () => {
  it('previews the confirmation: count per tenant, production flags and labels, whether a reason is required', async () => {
    const items = [...(await take(prod, 2)), ...(await take(staging, 3))]
    const preview = ok<{ total: number; tenants: unknown[]; productionLabels: string[]; reasonRequired: boolean }>(
      await core.invoke('bulk.preview', { items })
    )
    expect(preview).toEqual({
      total: 5,
      tenants: [
        { tenant: prod, label: 'acme-prod', environment: 'production', production: true, locked: false, count: 2 },
        { tenant: staging, label: 'acme-staging', environment: 'staging', production: false, locked: false, count: 3 }
      ],
      productionLabels: ['acme-prod'],
      reasonRequired: false
    })
    ok(await core.invoke('settings.update', { requireReasonInProduction: true }))
    expect(ok<{ reasonRequired: boolean }>(await core.invoke('bulk.preview', { items })).reasonRequired).toBe(true)
    expect(await core.invoke('bulk.revokeAcross', { items })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { reason: expect.any(String) } }
    })
    expect(ok<{ reasonRequired: boolean }>(await core.invoke('bulk.preview', { items: items.slice(2) })).reasonRequired).toBe(false)
    ok(await core.invoke('settings.update', { requireReasonInProduction: false }))
    expect(await core.invoke('bulk.preview', { items: [{ tenant: 'gone', id: 'k1' }] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', fields: { 'items.0.tenant': expect.any(String) } }
    })
    expect(await core.invoke('bulk.revokeAcross', { items: [items[0], items[0]] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('paces each tenant by its own headroom in parallel, with per-key results naming the tenant, never a 429', async () => {
    const items = [...(await take(prod, 8)), ...(await take(staging, 8))]
    deletes.length = 0
    statuses.length = 0
    const started = ok<BulkJob>(await core.invoke('bulk.revokeAcross', { items, reason: 'leak INC-7' }))
    expect(started).toMatchObject({ tenant: null, tenants: [prod, staging], total: 16, pending: 16 })
    const job = await settle(started.jobId)
    expect(job).toMatchObject({ revoked: 16, failed: 0, pending: 0 })
    expect(job.perTenant.map((t) => [t.tenant, t.total, t.revoked])).toEqual([
      [prod, 8, 8],
      [staging, 8, 8]
    ])
    expect(job.results.map((r) => `${r.tenant}/${r.id}`).sort()).toEqual(items.map((i) => `${i.tenant}/${i.id}`).sort())
    expect(statuses).not.toContain(429)
    // Each key sent once; the second tenant did not wait for the first to finish (its first DELETE
    // precedes the first tenant's last one), although each needed more than one window.
    expect(deletes).toHaveLength(16)
    const [a, b] = sandbox.tenants
    const firstOfB = deletes.findIndex((x) => x.tenantId === b!.id)
    const lastOfA = deletes.map((x) => x.tenantId).lastIndexOf(a!.id)
    expect(firstOfB).toBeLessThan(lastOfA)
    // The journal: one job entry per tenant and one entry per key, under its own tenant.
    const entries = ok<{ entries: JournalEntry[] }>(
      await core.invoke('journal.list', { actions: ['bulk.job', 'bulk.revoke'], limit: 500 })
    ).entries.filter((e) => e.jobId === job.jobId)
    expect(
      entries
        .filter((e) => e.action === 'bulk.job')
        .map((e) => e.tenantLabel)
        .sort()
    ).toEqual(['acme-prod', 'acme-staging'])
    expect(entries.filter((e) => e.action === 'bulk.revoke' && e.tenantId === prod && e.outcome === 'ok' && e.reason === 'leak INC-7')).toHaveLength(
      8
    )
  }, 40_000)

  it('retries only the failed keys of every tenant, and cancels keys not yet sent', async () => {
    const items = [...(await take(prod, 2)), ...(await take(staging, 2))]
    sandbox.control.setFaults({ error_rate: 1, error_status: 500 })
    const failed = await settle(ok<BulkJob>(await core.invoke('bulk.revokeAcross', { items })).jobId)
    expect(failed).toMatchObject({ failed: 4, revoked: 0 })
    expect(failed.results.every((r) => r.state === 'failed' && r.code === 'UPSTREAM')).toBe(true)
    sandbox.control.clearFaults()
    ok(await core.invoke('bulk.retryFailed', { jobId: failed.jobId }))
    expect(await settle(failed.jobId)).toMatchObject({ revoked: 4, failed: 0 })

    const many = [...(await take(prod, 6)), ...(await take(staging, 6))]
    sandbox.control.setFaults({ latency_ms: 150 })
    const started = ok<BulkJob>(await core.invoke('bulk.revokeAcross', { items: many }))
    ok(await core.invoke('bulk.cancel', { jobId: started.jobId }))
    const cancelled = await settle(started.jobId)
    sandbox.control.clearFaults()
    const skipped = cancelled.results.filter((r) => r.state === 'skipped')
    expect(cancelled.cancelled).toBe(true)
    expect(skipped.length).toBeGreaterThan(0)
    expect(cancelled.revoked + skipped.length).toBe(12)
    for (const r of skipped) expect(ok<ApiKey>(await core.invoke('keys.get', { tenant: r.tenant, id: r.id })).revoked_at).toBeNull()
  }, 40_000)
})
