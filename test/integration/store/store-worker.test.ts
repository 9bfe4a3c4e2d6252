import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core'
import { createFleetStore } from '../../../src/main/core/store/fleet-store'
import { createMetaTable } from '../../../src/main/core/store/meta-table'
import { createJournalTable } from '../../../src/main/core/store/journal-table'
import { STORE_KEY_ACCOUNT } from '../../../src/main/core/store/data-key'
import { WORKER_RESTARTED } from '../../../src/main/core/store/worker/store-client'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'
import type { Reply } from '../../../src/shared/envelope'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

/**
 * The fleet store runs on its own thread: main keeps answering while the store works, and a
 * worker that dies is started again with the data as it was. Proven by order, never by time.
 */
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
const cores: Core[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 6000, quiet: true, radarShowcase: false })
})
afterAll(async () => {
  await sandbox?.close()
})
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()))
})

function core(over: Partial<CoreOptions> = {}) {
  const dataDir = over.dataDir ?? mkdtempSync(join(tmpdir(), 'keydesk-worker-'))
  const c = createCore({ dataDir, secretStore: over.secretStore ?? createMemorySecretStore(), logger: silentLogger, timeoutMs: 10_000, ...over })
  cores.push(c)
  return c
}

async function addTenant(c: Core, n = 0): Promise<string> {
  const t = sandbox.tenants[n]!
  return ok<{ id: string }>(
    await c.invoke('tenants.add', { label: `t${n}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
  ).id
}

/** The keys of a keys.fromStore answer (the stored rows' JSON text), none when never synced. */
const storedKeys = (r: unknown): ApiKey[] => (r ? (JSON.parse((r as { keysJson: string }).keysJson) as ApiKey[]) : [])

/** Resolves with the order in which the long call and a quick call made during it were answered. */
async function answeredDuring(c: Core, long: Promise<unknown>): Promise<string[]> {
  const order: string[] = []
  const quick = c.invoke('tenants.list', {}).then(() => order.push('quick'))
  await Promise.all([long.then(() => order.push('long')), quick])
  return order
}

/** Calls `during` once the store's worker has been handed a call of that name (e.g. syncKeys). */
function onStoreCall(path: string, during: (worker: Worker, id: number) => void) {
  return (worker: Worker) => {
    const post = worker.postMessage.bind(worker)
    let fired = false
    worker.postMessage = (m: { type?: string; path?: string; id?: number }) => {
      post(m)
      if (!fired && m.type === 'call' && m.path === path) {
        fired = true
        during(worker, m.id!)
      }
    }
  }
}

/** Fills a data dir's store in this thread before the core opens it (the data key is the keychain's). */
async function fill(dataDir: string, secrets: ReturnType<typeof createMemorySecretStore>, tenant: string, journalEntries: number, keys: number) {
  const key = Buffer.from((await secrets.get(STORE_KEY_ACCOUNT))!, 'base64')
  const store = createFleetStore({ path: join(dataDir, 'keydesk.db'), dataKey: async () => key, log: silentLogger, now: Date.now })
  const list: ApiKey[] = Array.from({ length: keys }, (_, i) =>
    makeKey(randomUUID(), { name: `svc-${i}`, created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() })
  )
  await store.syncKeys(tenant, list, Date.now())
  const db = await store.database()
  const journal = createJournalTable(db, createMetaTable(db))
  db.transaction(() => {
    for (let i = 0; i < journalEntries; i++)
      journal.append({
        at: Date.now(),
        tenantId: tenant,
        tenantLabel: 't0',
        action: 'key.revoke',
        outcome: 'ok',
        errorCode: null,
        keyId: `k${i}`,
        keyName: `svc-${i}`,
        keyPreview: null,
        reason: null,
        detail: null,
        jobId: null,
        refSeq: null
      })
  })()
  await store.close()
}

describe('the fleet store on its own thread', () => {
  it('answers a call made during a first sync before the sync ends', async () => {
    const order: string[] = []
    let quick: Promise<unknown> | undefined
    const c = core({
      storeWorker: {
        onWorker: onStoreCall('syncKeys', (worker, id) => {
          worker.on('message', (m: { type: string; id?: number }) => m.type === 'reply' && m.id === id && order.push('sync saved'))
          quick = c.invoke('tenants.list', {}).then(() => order.push('quick'))
        })
      }
    })
    const tenant = await addTenant(c)
    const listed = ok<{ keys: ApiKey[] }>(await c.invoke('keys.listAll', { tenant }))
    expect(listed.keys.length).toBeGreaterThanOrEqual(6000)
    await expect.poll(() => order.includes('sync saved'), { timeout: 20_000 }).toBe(true)
    await quick
    expect(order).toEqual(['quick', 'sync saved'])
    expect(storedKeys(ok(await c.invoke('keys.fromStore', { tenant })))).toHaveLength(listed.keys.length)
  })

  it('answers a call made during a journal check and during a whole-fleet report before either ends', async () => {
    const secrets = createMemorySecretStore()
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-worker-'))
    const first = core({ dataDir, secretStore: secrets })
    const tenant = await addTenant(first)
    await first.dispose()
    await fill(dataDir, secrets, tenant, 40_000, 20_000)

    const c = core({ dataDir, secretStore: secrets })
    expect(ok<{ entries: unknown[] }>(await c.invoke('journal.list', { limit: 1 })).entries).toHaveLength(1)
    expect(await answeredDuring(c, c.invoke('journal.verify', {}).then(ok))).toEqual(['quick', 'long'])
    expect(await answeredDuring(c, c.invoke('radar.report', { format: 'csv' }).then(ok))).toEqual(['quick', 'long'])
  })

  it('is started again when the worker dies mid-sync: the data is as it was, the next sync completes, and store.status says so', async () => {
    let killed = false
    const secrets = createMemorySecretStore()
    const c = core({
      secretStore: secrets,
      storeWorker: {
        onWorker: onStoreCall('syncKeys', (w) => {
          if (killed) return
          killed = true
          void w.terminate()
        })
      }
    })
    const tenant = await addTenant(c)
    const listed = ok<{ keys: ApiKey[] }>(await c.invoke('keys.listAll', { tenant }))
    // The listing still answered from MeshQu; the store did not take the list (it died under it).
    expect(listed.keys.length).toBeGreaterThanOrEqual(6000)
    await expect.poll(() => killed).toBe(true)
    const status = ok<{ state: string; warnings: string[] }>(await c.invoke('store.status', {}))
    expect(status.warnings).toContain(WORKER_RESTARTED)
    // A new worker answers: nothing half-written is visible, and the next sync is whole.
    const before = storedKeys(ok(await c.invoke('keys.fromStore', { tenant })))
    expect(before.length === 0 || before.length === listed.keys.length).toBe(true)
    ok(await c.invoke('keys.listAll', { tenant }))
    await expect.poll(async () => storedKeys(ok(await c.invoke('keys.fromStore', { tenant }))).length, { timeout: 20_000 }).toBe(listed.keys.length)
    expect(ok<{ state: string }>(await c.invoke('store.status', {})).state).toBe('open')
  })
})
