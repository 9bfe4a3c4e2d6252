import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { BulkJob } from '../../src/shared/contract'
import { settleBulkJob } from './settle-bulk-job'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let tenant: string
const deletes = new Map<string, number>()
const statuses: number[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
// Counts every DELETE per key and every status, to prove "never a double revoke" and "no 429".
const countingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const url = String(input)
  if (init?.method === 'DELETE') {
    const id = url.split('/').pop()!
    deletes.set(id, (deletes.get(id) ?? 0) + 1)
  }
  const res = await fetch(input, init)
  statuses.push(res.status)
  return res
}) as typeof fetch

async function activeIds(n: number): Promise<string[]> {
  const all = ok<{ keys: { id: string; name: string; is_active: boolean; revoked_at: string | null; expires_at: string | null }[] }>(
    await core.invoke('keys.listAll', { tenant, status: 'active' })
  )
  return all.keys
    .filter((k) => k.name !== 'keydesk-sandbox-admin')
    .slice(0, n)
    .map((k) => k.id)
}
const settle = (jobId: string, timeoutMs = 20_000) => settleBulkJob(core, jobId, { timeoutMs, pollMs: 50 })

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 200, rateLimit: 8, windowSeconds: 2, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bulk-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fetch: countingFetch
  })
  const t = sandbox.tenants[0]!
  tenant = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'bulk', tenantId: t.id, baseUrl: sandbox.url, environment: 'sandbox', adminKey: t.admin_key })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})
beforeEach(() => {
  sandbox.control.clearFaults()
})

describe('bulk revoke', () => {
  it('revokes more keys than one window allows by waiting for the window, never tripping a 429', async () => {
    // More than two windows' worth (8 a window): however the job falls across window edges, it
    // must wait out at least one whole window, long enough to be seen.
    const ids = await activeIds(20)
    statuses.length = 0
    const started = ok<BulkJob>(await core.invoke('bulk.revoke', { tenant, ids }))
    expect(started).toMatchObject({ total: 20, pending: 20, finished: false })
    let sawWaiting = false
    for (;;) {
      const job = ok<BulkJob>(await core.invoke('bulk.status', { jobId: started.jobId }))
      if (job.waitingReason === 'window-spent' && job.waitingUntil) sawWaiting = true
      if (job.finished) {
        expect(job).toMatchObject({ revoked: 20, failed: 0, pending: 0 })
        break
      }
      await new Promise((r) => setTimeout(r, 25))
    }
    expect(sawWaiting).toBe(true)
    expect(statuses).not.toContain(429)
    for (const id of ids) expect(deletes.get(id)).toBe(1)
  }, 30_000)

  it('rides out a 429 storm by honouring Retry-After', async () => {
    const ids = await activeIds(3)
    sandbox.control.setFaults({ rate_limit_storm: { count: 2, retry_after_seconds: 1 } })
    const job = await settle(ok<BulkJob>(await core.invoke('bulk.revoke', { tenant, ids })).jobId)
    expect(job).toMatchObject({ revoked: 3, failed: 0 })
  }, 30_000)

  it('reports failures per key and retries only those; revoked keys are never sent twice', async () => {
    const ids = await activeIds(4)
    sandbox.control.setFaults({ error_rate: 1, error_status: 500 })
    const failed = await settle(ok<BulkJob>(await core.invoke('bulk.revoke', { tenant, ids })).jobId)
    expect(failed).toMatchObject({ revoked: 0, failed: 4 })
    expect(failed.results[0]).toMatchObject({ state: 'failed', code: 'UPSTREAM' })
    sandbox.control.clearFaults()
    ok(await core.invoke('bulk.retryFailed', { jobId: failed.jobId }))
    const done = await settle(failed.jobId)
    expect(done).toMatchObject({ revoked: 4, failed: 0 })
    const before = ids.map((id) => deletes.get(id))
    ok(await core.invoke('bulk.retryFailed', { jobId: failed.jobId }))
    await settle(failed.jobId)
    expect(ids.map((id) => deletes.get(id))).toEqual(before)
  }, 30_000)

  it('cancels: keys not yet sent are skipped and stay active', async () => {
    const ids = await activeIds(10)
    sandbox.control.setFaults({ latency_ms: 150 })
    const started = ok<BulkJob>(await core.invoke('bulk.revoke', { tenant, ids }))
    await new Promise((r) => setTimeout(r, 200))
    ok(await core.invoke('bulk.cancel', { jobId: started.jobId }))
    const job = await settle(started.jobId)
    expect(job.cancelled).toBe(true)
    expect(job.revoked).toBeGreaterThan(0)
    expect(job.results.filter((r) => r.state === 'skipped').length).toBeGreaterThan(0)
    expect(job.revoked + job.results.filter((r) => r.state === 'skipped').length).toBe(10)
    sandbox.control.clearFaults()
    const skipped = job.results.find((r) => r.state === 'skipped')!
    expect(ok<{ is_active: boolean }>(await core.invoke('keys.get', { tenant, id: skipped.id })).is_active).toBe(true)
    expect(deletes.get(skipped.id)).toBeUndefined()
  }, 30_000)

  it('rejects duplicates and unknown jobs clearly', async () => {
    const dup = await core.invoke('bulk.revoke', { tenant, ids: ['a', 'a'] })
    expect(dup).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await core.invoke('bulk.status', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
